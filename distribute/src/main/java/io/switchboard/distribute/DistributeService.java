package io.switchboard.distribute;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.switchboard.distribute.dispatch.Dispatcher;
import io.switchboard.distribute.dispatch.NotAcceptingException;
import io.switchboard.distribute.dispatch.QueueFullException;
import io.switchboard.distribute.dispatch.TaskSpec;
import io.switchboard.distribute.dispatch.TaskView;
import io.switchboard.distribute.jetstream.JetStreamLink;
import io.switchboard.distribute.jetstream.JetStreamQueue;
import io.switchboard.distribute.json.TaskJson;
import io.switchboard.distribute.link.WorkerLinkServer;
import io.switchboard.distribute.queue.LocalQueue;
import io.switchboard.distribute.queue.QueueUnavailableException;
import io.switchboard.distribute.queue.TaskQueue;
import io.switchboard.distribute.queue.TaskTooLargeException;
import io.switchboard.distribute.supervise.LocalWorkers;
import io.switchboard.platform.Service;
import io.switchboard.platform.ServiceContext;
import io.switchboard.platform.openapi.OpenApiFragment;
import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * distribute: runs users' functions on supervised worker processes.
 *
 * <p>Data flow: {@code POST /distribute/tasks} → {@link Access} (token, or loopback) → {@link
 * TaskRequests} (400 naming the field; 422 for an unknown bundle) → {@link Dispatcher} (bounded
 * queue, 429 when full) → an idle worker over its link ({@link WorkerLinkServer}) → the worker
 * process runs it ({@code worker.TaskRunner}) → result frame → dispatcher → the waiting answer
 * ({@code ?wait=}) or a later {@code GET /distribute/tasks/{id}}. {@link LocalWorkers} starts and
 * replaces the local worker processes.
 *
 * <p>With {@code --distribute-queue nats://…} the endpoints speak to a {@link JetStreamQueue}
 * instead: tasks wait in a JetStream stream shared by every instance, this instance's {@link
 * DistributeNode} pulls from it for its own workers, and states live in a shared bucket, so a
 * client may submit to one instance and read from another.
 *
 * <p>Threads: handlers run on the event loop and only take the dispatcher's short lock; worker
 * links are read on event loops; process exits arrive on the JDK's process reaper; timeouts and
 * restart delays on one scheduler thread. Nothing here blocks a loop except {@link #close}, which
 * runs on a worker thread.
 */
public final class DistributeService implements Service {

    public static final String NAME = "distribute";

    private static final Logger log = LoggerFactory.getLogger(DistributeService.class);

    /** Advertised when the queue is full: workers drain it in milliseconds to seconds. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Largest bundle upload: jars of an application's classes and libraries are bigger than the
     * bodies the server otherwise accepts, and a bundle travels to a worker once.
     */
    static final long MAX_BUNDLE_BYTES = 32L << 20;

    private final DistributeConfig config;
    private final Access access;
    private Vertx vertx;
    /** Null with the in-process queue. */
    private @Nullable JetStreamLink jetStream;

    private DistributeNode node;
    private TaskQueue queue;
    private TaskRequests requests;
    private Tracer tracer;
    private Duration shutdownTimeout;

    public DistributeService(DistributeConfig config) {
        this.config = config;
        this.access = new Access(config.tokens());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void mount(Router router, ServiceContext context) {
        vertx = context.vertx();
        tracer = context.tracing().tracer();
        shutdownTimeout = context.server().shutdownTimeout();
        String nodeId = DistributeNode.newId("serve");
        if (config.queue() != null) {
            jetStream = JetStreamLink.connect(
                    config.queue(), null, "switchboard " + nodeId, config.queueCapacity(), config.retention());
        }
        node = new DistributeNode(config, vertx, context.metrics(), context.clock(), jetStream, nodeId);
        queue = jetStream == null
                ? new LocalQueue(node.dispatcher())
                : new JetStreamQueue(
                        jetStream,
                        node.dispatcher(),
                        nodeId,
                        context.clock(),
                        config.queueCapacity(),
                        context.metrics());
        requests = new TaskRequests(config, node.bundles());
        node.start();
        if (jetStream != null) {
            log.atInfo()
                    .addKeyValue("nats", jetStream.server())
                    .log(
                            "distribute: tasks queue on NATS JetStream at {} (stream {})",
                            jetStream.server(),
                            jetStream.stream());
        }
        if (config.pythonWorkers() > 0) {
            log.atInfo()
                    .addKeyValue(
                            "python",
                            Objects.requireNonNull(config.pythonCommand(), "the config requires it for Python workers")
                                    .python())
                    .log(
                            "distribute: {} Python workers on {} (Python {}) for POST /rpc",
                            config.pythonWorkers(),
                            config.pythonCommand().python(),
                            config.pythonCommand().version());
        }
        if (access.loopbackOnly()) {
            log.atWarn().log("no DISTRIBUTE_TOKENS configured: distribute accepts tasks from loopback callers only");
        }

        router.post("/distribute/tasks").handler(context.bodyHandler()).handler(this::handleSubmit);
        router.get("/distribute/tasks/:id").handler(this::handleGet);
        router.delete("/distribute/tasks/:id").handler(this::handleCancel);
        router.head("/distribute/bundles/:id").handler(this::handleHasBundle);
        router.put("/distribute/bundles/:id")
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BUNDLE_BYTES))
                .handler(this::handlePutBundle);
        router.get("/distribute/workers").handler(this::handleWorkers);
        router.get("/distribute/stats").handler(this::handleStats);
        RpcEndpoint rpc = new RpcEndpoint(queue, config, access, vertx);
        router.post("/rpc").handler(context.bodyHandler()).handler(rpc::handle);
    }

    private void handleSubmit(RoutingContext ctx) {
        access.check(ctx.request());
        Duration wait = TaskRequests.parseWait(ctx.request().getParam("wait"));
        TaskSpec spec = requests.parse(
                ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        onLoop(queue.submit(spec))
                .onSuccess(task -> {
                    traceTask(task);
                    ctx.response().putHeader(HttpHeaders.LOCATION, "/distribute/tasks/" + task.id());
                    answerWhenEnded(ctx, task, wait);
                })
                .onFailure(e -> ctx.fail(problem(e)));
    }

    /**
     * A span for the task's life, from submission to its end (queue wait and run, over every
     * attempt), below the submitting request's span. A no-op span when tracing is off.
     */
    private void traceTask(TaskView task) {
        Span span = tracer.spanBuilder("distribute task")
                .setAttribute("distribute.task.id", task.id())
                .setAttribute("distribute.function", task.function())
                .startSpan();
        var _ = queue.ended(task.id()).whenComplete((view, failure) -> {
            if (view != null) {
                span.setAttribute("distribute.task.state", view.state().name());
                span.setAttribute("distribute.task.attempts", view.attempts());
                if (view.worker() != null) {
                    span.setAttribute("distribute.worker", view.worker());
                }
                if (view.error() != null) {
                    span.setStatus(
                            StatusCode.ERROR,
                            view.error().kind() + ": " + view.error().message());
                }
            }
            span.end();
        });
    }

    private void handleGet(RoutingContext ctx) {
        access.check(ctx.request());
        Duration wait = TaskRequests.parseWait(ctx.request().getParam("wait"));
        String id = ctx.pathParam("id");
        onLoop(queue.find(id))
                .onSuccess(task -> {
                    if (task.isEmpty()) {
                        ctx.fail(notFound(id));
                    } else {
                        answerWhenEnded(ctx, task.get(), wait);
                    }
                })
                .onFailure(e -> ctx.fail(problem(e)));
    }

    private void handleCancel(RoutingContext ctx) {
        access.check(ctx.request());
        String id = ctx.pathParam("id");
        onLoop(queue.find(id).thenCompose(found -> {
                    if (found.isEmpty()) {
                        throw notFound(id);
                    }
                    return queue.cancel(id);
                }))
                .onSuccess(cancelled -> {
                    if (cancelled.isEmpty()) {
                        ctx.fail(new ProblemException(Problem.of(
                                409, "task-ended", "Task already ended", "task " + id + " had already ended")));
                    } else {
                        JsonAnswer.send(ctx, 200, TaskJson.task(cancelled.get()));
                    }
                })
                .onFailure(e -> ctx.fail(problem(e)));
    }

    private ProblemException notFound(String id) {
        return new ProblemException(Problem.ofStatus(
                        404,
                        "Not Found",
                        "no task " + id + " (unknown, or ended longer ago than the retention of "
                                + config.retention().toMinutes() + " min)")
                .withParameter("id"));
    }

    /**
     * Answers with the task once it ended (200), or with its current state when {@code wait}
     * passes first (202). The timer and the task's end race; the first one answers.
     */
    private void answerWhenEnded(RoutingContext ctx, TaskView now, Duration wait) {
        if (now.state().ended() || wait.isZero()) {
            JsonAnswer.send(ctx, now.state().ended() ? 200 : 202, TaskJson.task(now));
            return;
        }
        Context loop = vertx.getOrCreateContext();
        AtomicBoolean answered = new AtomicBoolean();
        CompletableFuture<TaskView> ended = queue.ended(now.id());
        long timer = vertx.setTimer(wait.toMillis(), ignored -> {
            if (answered.compareAndSet(false, true)) {
                ended.cancel(false);
                onLoop(queue.find(now.id())).onComplete(latest -> {
                    TaskView view = latest.succeeded() ? latest.result().orElse(now) : now;
                    JsonAnswer.send(ctx, view.state().ended() ? 200 : 202, TaskJson.task(view));
                });
            }
        });
        var _ = ended.thenAccept(view -> loop.runOnContext(ignored -> {
            if (answered.compareAndSet(false, true)) {
                vertx.cancelTimer(timer);
                JsonAnswer.send(ctx, 200, TaskJson.task(view));
            }
        }));
    }

    private void handleHasBundle(RoutingContext ctx) {
        access.check(ctx.request());
        ctx.response()
                .setStatusCode(node.bundles().contains(ctx.pathParam("id")) ? 200 : 404)
                .end();
    }

    private void handlePutBundle(RoutingContext ctx) {
        access.check(ctx.request());
        String id = ctx.pathParam("id");
        Buffer body = ctx.body().buffer();
        byte[] jar = body == null ? new byte[0] : body.getBytes();
        // A shared store copies the jar to NATS: a blocking write, so not on the event loop.
        Future<Boolean> stored;
        if (node.bundles().shared()) {
            stored = vertx.executeBlocking(() -> node.bundles().put(id, jar), false);
        } else {
            try {
                stored = Future.succeededFuture(node.bundles().put(id, jar));
            } catch (IllegalArgumentException e) {
                stored = Future.failedFuture(e);
            }
        }
        stored.onSuccess(created -> {
                    ObjectNode json = JSON.createObjectNode().put("bundle", id).put("stored", created);
                    JsonAnswer.send(ctx, created ? 201 : 200, json);
                })
                .onFailure(e -> ctx.fail(
                        e instanceof IllegalArgumentException
                                ? ProblemException.invalidParameter("body", e.getMessage())
                                : e));
    }

    private void handleWorkers(RoutingContext ctx) {
        onLoop(queue.workers())
                .onSuccess(workers -> JsonAnswer.send(ctx, 200, TaskJson.workers(workers)))
                .onFailure(e -> ctx.fail(problem(e)));
    }

    private void handleStats(RoutingContext ctx) {
        onLoop(queue.stats())
                .onSuccess(stats -> JsonAnswer.send(ctx, 200, TaskJson.stats(stats)))
                .onFailure(e -> ctx.fail(problem(e)));
    }

    /** A queue's stage, completed back on the caller's event loop. */
    private <T> Future<T> onLoop(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
    }

    /** The queue's refusals as the problems the API documents. */
    static Throwable problem(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return switch (cause) {
            case QueueFullException full ->
                new ProblemException(Problem.of(429, "queue-full", "Queue full", full.getMessage()), RETRY_AFTER);
            case NotAcceptingException stopping ->
                ProblemException.overloaded(
                        Objects.requireNonNull(stopping.getMessage(), "NotAcceptingException always has its message"),
                        RETRY_AFTER);
            case QueueUnavailableException down ->
                new ProblemException(
                        Problem.of(503, "queue-unavailable", "Queue unavailable", down.getMessage()), RETRY_AFTER);
            case TaskTooLargeException large ->
                new ProblemException(Problem.of(413, "task-too-large", "Task too large", large.getMessage()));
            default -> cause;
        };
    }

    @Override
    public Future<Boolean> ready() {
        return Future.succeededFuture(node != null && node.ready());
    }

    @Override
    public JsonObject openApi() {
        return OpenApiFragment.load(DistributeService.class, "openapi.json");
    }

    /**
     * Stops taking tasks (queued ones fail with {@code SHUTDOWN}, or stay in JetStream for other
     * instances), lets running tasks finish within the shutdown timeout, then ends every worker
     * process.
     */
    @Override
    public Future<Void> close() {
        if (node == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(
                        () -> {
                            node.stop(shutdownTimeout);
                            return null;
                        },
                        false)
                .compose(ignored -> node.closeLink())
                .onComplete(ignored -> {
                    if (queue instanceof JetStreamQueue shared) {
                        shared.close();
                    }
                    if (jetStream != null) {
                        jetStream.close();
                    }
                });
    }

    /** The dispatcher, for tests in this module. */
    Dispatcher dispatcher() {
        return node.dispatcher();
    }

    /** The local worker processes, for tests in this module. */
    LocalWorkers localWorkers() {
        return node.localWorkers();
    }

    int linkPort() {
        return node.linkPort();
    }

    /** The JetStream queue's URL, or null in process; for tests in this module. */
    @Nullable
    String queueUrl() {
        return config.queue();
    }
}
