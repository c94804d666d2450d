package io.switchboard.compute;

import io.switchboard.compute.execution.ComputeExecutor;
import io.switchboard.compute.execution.ComputedResult;
import io.switchboard.compute.execution.Ticket;
import io.switchboard.compute.math.Ackermann;
import io.switchboard.compute.math.BigNumberEngine;
import io.switchboard.compute.math.Cancellation;
import io.switchboard.compute.math.Factorial;
import io.switchboard.compute.math.Fibonacci;
import io.switchboard.platform.Service;
import io.switchboard.platform.ServiceContext;
import io.switchboard.platform.openapi.OpenApiFragment;
import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Exact Fibonacci, factorial and Ackermann values over HTTP.
 *
 * <p>Flow of a request: parse and validate the path arguments (400 naming the parameter) → check
 * the size budget against an estimate of the result's digits, before any work (422 stating the
 * limit) → {@link ComputeExecutor} returns a cached result, joins an identical computation or runs
 * a new one on the compute pool (503 when full) → {@link ResultWriter} streams the answer as JSON
 * or plain digits. Parsing and writing run on the event loop; computing never does.
 */
public final class ComputeService implements Service {

    public static final String NAME = "compute";

    /** Advertised when the compute pool is full; a short wait usually frees a thread. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final ComputeConfig config;
    private final ComputeExecutor<ComputeRequest> executor;
    private final BigNumberEngine engine;
    /** Created at mount, when the registry is known. */
    private ComputeMetrics metrics;

    /**
     * @throws IllegalStateException when the config asks for GMP and the library cannot be loaded
     */
    public ComputeService(ComputeConfig config) {
        this.config = config;
        this.engine = BigNumberEngine.of(config.engine());
        this.executor = new ComputeExecutor<>(config.threads(), config.queueCapacity(), config.cacheBytes());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void mount(Router router, ServiceContext context) {
        this.metrics = new ComputeMetrics(context.metrics(), executor, engine);
        String p = config.prefix();
        for (String path : List.of(p + "/fibonacci/:n", p + "/factorial/:n", p + "/ackermann/:m/:n")) {
            router.get(path).produces("application/json").produces("text/plain").handler(this::handleCompute);
        }
        for (String path : List.of(p + "/fibonacci", p + "/factorial", p + "/ackermann/:m", p + "/ackermann")) {
            router.get(path).handler(this::handleMissingArgument);
        }
    }

    private void handleCompute(RoutingContext ctx) {
        ComputeRequest request = parse(ctx);
        checkBudget(request);
        Ticket ticket;
        try {
            ticket = executor.submit(request, cancellation -> compute(request, cancellation));
        } catch (RejectedExecutionException e) {
            throw ProblemException.overloaded(
                    "All " + config.threads() + " compute threads are busy and " + config.queueCapacity()
                            + " computations are queued; retry shortly",
                    RETRY_AFTER);
        }
        metrics.countRequest(request, ticket.source());
        ctx.response().closeHandler(closed -> ticket.abandon().run());
        Future.fromCompletionStage(ticket.result(), ctx.vertx().getOrCreateContext())
                .onSuccess(result -> respond(ctx, request, ticket, result))
                .onFailure(failure -> ctx.fail(toProblem(request, failure)));
    }

    private void handleMissingArgument(RoutingContext ctx) {
        String missing = ctx.pathParam("m") == null && ctx.request().path().contains("ackermann") ? "m" : "n";
        throw ProblemException.invalidParameter(
                missing,
                "Parameter '" + missing + "' is missing: use /fibonacci/{n}, /factorial/{n} or /ackermann/{m}/{n}");
    }

    private static ComputeRequest parse(RoutingContext ctx) {
        String path = ctx.currentRoute().getPath();
        long n = Arguments.nonNegative("n", ctx.pathParam("n"));
        if (path.contains("/ackermann/")) {
            return new ComputeRequest(Function.ACKERMANN, Arguments.nonNegative("m", ctx.pathParam("m")), n);
        }
        return new ComputeRequest(path.contains("/fibonacci/") ? Function.FIBONACCI : Function.FACTORIAL, 0, n);
    }

    /** Refuses, before computing, any result larger than the configured number of digits. */
    private void checkBudget(ComputeRequest request) {
        OptionalDouble digits = switch (request.function()) {
            case FIBONACCI -> OptionalDouble.of(Fibonacci.estimatedDigits(request.n()));
            case FACTORIAL -> OptionalDouble.of(Factorial.estimatedDigits(request.n()));
            case ACKERMANN -> Ackermann.estimatedDigits(request.m(), request.n());
        };
        if (digits.isEmpty()) {
            throw budgetExceeded(request.describe() + " has more digits than any memory can hold");
        }
        if (digits.getAsDouble() > config.maxDigits()) {
            throw budgetExceeded(
                    String.format("%s would have about %.0f digits", request.describe(), digits.getAsDouble()));
        }
    }

    private ProblemException budgetExceeded(String why) {
        return new ProblemException(Problem.of(
                        422,
                        "budget-exceeded",
                        "Result exceeds the size budget",
                        why + "; this server computes results of at most " + config.maxDigits() + " digits")
                .withParameter("n"));
    }

    /** Runs on a compute thread: the value and its decimal form (the latter is often the dearer). */
    private String compute(ComputeRequest request, Cancellation cancellation) {
        return switch (request.function()) {
            case FIBONACCI -> engine.fibonacci(request.n(), cancellation);
            case FACTORIAL -> engine.factorial(request.n(), cancellation);
            case ACKERMANN -> Ackermann.of(request.m(), request.n()).toString();
        };
    }

    private void respond(RoutingContext ctx, ComputeRequest request, Ticket ticket, ComputedResult result) {
        if (ticket.source() == Ticket.Source.COMPUTED) {
            metrics.recordComputation(request, result);
        }
        if ("text/plain".equals(ctx.getAcceptableContentType())) {
            ResultWriter.plain(ctx.response(), result.decimal());
            return;
        }
        JsonObject head = new JsonObject()
                .put("function", request.function().label())
                .put("arguments", arguments(request))
                .put("digits", result.digits())
                .put("compute_ms", result.computeTime().toNanos() / 1_000_000.0)
                .put("source", ComputeMetrics.sourceLabel(ticket.source()));
        ResultWriter.json(ctx.response(), head, "result", result.decimal());
    }

    private static JsonObject arguments(ComputeRequest request) {
        JsonObject arguments = new JsonObject();
        if (request.function() == Function.ACKERMANN) {
            arguments.put("m", request.m());
        }
        return arguments.put("n", request.n());
    }

    private static Throwable toProblem(ComputeRequest request, Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof CancellationException) {
            // Only happens when every client left; nobody reads this answer.
            return new ProblemException(
                    Problem.ofStatus(503, "Service unavailable", request.describe() + " was cancelled"));
        }
        if (cause instanceof RejectedExecutionException) {
            // A computation this request joined was refused by the full pool (or the pool closed).
            return ProblemException.overloaded(
                    request.describe() + " could not be started: the compute pool is full; retry shortly", RETRY_AFTER);
        }
        if (cause instanceof OutOfMemoryError) {
            return new ProblemException(Problem.of(
                    503,
                    "out-of-memory",
                    "Not enough memory",
                    request.describe() + " needs more memory than is free now"));
        }
        return cause;
    }

    /** Which big-number engine runs the computations, and the native memory it holds now. */
    @Override
    public JsonObject readinessDetails() {
        return new JsonObject()
                .put("engine", engine.name())
                .put("engine_version", engine.version())
                .put("native_memory_bytes", engine.nativeBytes());
    }

    @Override
    public JsonObject openApi() {
        return OpenApiFragment.withPathPrefix(
                OpenApiFragment.load(ComputeService.class, "openapi.json"), config.prefix());
    }

    @Override
    public Future<Void> close() {
        executor.close();
        return Future.succeededFuture();
    }

    /** Test hook: the executor's live view. */
    ComputeExecutor<ComputeRequest> executor() {
        return executor;
    }
}
