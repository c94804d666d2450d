package io.switchboard.distribute;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.switchboard.distribute.bundle.BundleStore;
import io.switchboard.distribute.dispatch.Dispatcher;
import io.switchboard.distribute.dispatch.Language;
import io.switchboard.distribute.dispatch.NotAcceptingException;
import io.switchboard.distribute.dispatch.QueueFullException;
import io.switchboard.distribute.dispatch.Task;
import io.switchboard.distribute.dispatch.TaskView;
import io.switchboard.distribute.dispatch.WorkerState;
import io.switchboard.distribute.link.WorkerLinkServer;
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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final BundleStore bundles;
    private final TaskRequests requests;
    private final String linkToken = newToken();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("distribute-timers").daemon().factory());
    private final AtomicBoolean listening = new AtomicBoolean();
    private Vertx vertx;
    private Tracer tracer;
    private Dispatcher dispatcher;
    private LocalWorkers localWorkers;
    private LocalWorkers pythonWorkers;
    private WorkerLinkServer linkServer;
    private Duration shutdownTimeout;
    private int linkPort;

    public DistributeService(DistributeConfig config) {
        this.config = config;
        this.access = new Access(config.tokens());
        this.bundles = new BundleStore(config.bundleBytes());
        this.requests = new TaskRequests(config, bundles);
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
        dispatcher = new Dispatcher(
                config.queueCapacity(),
                config.retention(),
                context.clock(),
                System::nanoTime,
                timers,
                context.metrics());
        localWorkers = new LocalWorkers(config.workers(), config.workerCommand(), linkToken, dispatcher, timers);
        pythonWorkers = new LocalWorkers(config.pythonWorkers(), config.pythonCommand(), linkToken, dispatcher, timers);
        Set<String> linkTokens = new HashSet<>(config.tokens());
        linkTokens.add(linkToken);
        linkServer = new WorkerLinkServer(
                vertx,
                dispatcher,
                bundles,
                linkTokens,
                id -> localWorkers.supervises(id) || pythonWorkers.supervises(id),
                (id, pid) -> {
                    localWorkers.kill(id, pid);
                    pythonWorkers.kill(id, pid);
                });
        linkServer
                .listen(config.workerHost(), config.workerPort())
                .onSuccess(port -> {
                    linkPort = port;
                    listening.set(true);
                    // Starting processes forks and execs: tens of milliseconds each, never on a loop.
                    Thread.ofPlatform().name("distribute-worker-start").start(() -> {
                        localWorkers.start(linkHost(), port);
                        pythonWorkers.start(linkHost(), port);
                    });
                })
                .onFailure(e -> log.atError()
                        .log(
                                "distribute cannot listen for workers on {}:{}: {}",
                                config.workerHost(),
                                config.workerPort(),
                                e.getMessage()));
        if (config.pythonWorkers() > 0) {
            log.atInfo()
                    .addKeyValue("python", config.pythonCommand().python())
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
        RpcEndpoint rpc = new RpcEndpoint(dispatcher, config, access, vertx);
        router.post("/rpc").handler(context.bodyHandler()).handler(rpc::handle);
    }

    /** Workers on this machine reach a wildcard listener through loopback. */
    private String linkHost() {
        String host = config.workerHost();
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    private void handleSubmit(RoutingContext ctx) {
        access.check(ctx.request());
        Duration wait = TaskRequests.parseWait(ctx.request().getParam("wait"));
        Task task;
        try {
            task = dispatcher.submit(requests.parse(
                    ctx.body().buffer() == null
                            ? new byte[0]
                            : ctx.body().buffer().getBytes()));
        } catch (QueueFullException e) {
            throw new ProblemException(Problem.of(429, "queue-full", "Queue full", e.getMessage()), RETRY_AFTER);
        } catch (NotAcceptingException e) {
            throw ProblemException.overloaded(e.getMessage(), RETRY_AFTER);
        }
        traceTask(task);
        ctx.response().putHeader(HttpHeaders.LOCATION, "/distribute/tasks/" + task.id());
        answerWhenEnded(ctx, task, wait);
    }

    /**
     * A span for the task's life, from submission to its end (queue wait and run, over every
     * attempt), below the submitting request's span. A no-op span when tracing is off.
     */
    private void traceTask(Task task) {
        Span span = tracer.spanBuilder("distribute task")
                .setAttribute("distribute.task.id", task.id())
                .setAttribute("distribute.function", task.spec().function())
                .startSpan();
        task.ended().whenComplete((view, failure) -> {
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
        answerWhenEnded(ctx, findTask(ctx), wait);
    }

    private void handleCancel(RoutingContext ctx) {
        access.check(ctx.request());
        Task task = findTask(ctx);
        TaskView view = dispatcher
                .cancel(task)
                .orElseThrow(() -> new ProblemException(Problem.of(
                        409, "task-ended", "Task already ended", "task " + task.id() + " had already ended")));
        JsonAnswer.send(ctx, 200, TaskJson.task(view));
    }

    private Task findTask(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        return dispatcher
                .find(id)
                .orElseThrow(() -> new ProblemException(Problem.ofStatus(
                                404,
                                "Not Found",
                                "no task " + id + " (unknown, or ended longer ago than the retention of "
                                        + config.retention().toMinutes() + " min)")
                        .withParameter("id")));
    }

    /**
     * Answers with the task once it ended (200), or with its current state when {@code wait}
     * passes first (202). The timer and the task's end race; the first one answers.
     */
    private void answerWhenEnded(RoutingContext ctx, Task task, Duration wait) {
        TaskView now = dispatcher.view(task);
        if (now.state().ended() || wait.isZero()) {
            JsonAnswer.send(ctx, now.state().ended() ? 200 : 202, TaskJson.task(now));
            return;
        }
        Context loop = vertx.getOrCreateContext();
        AtomicBoolean answered = new AtomicBoolean();
        long timer = vertx.setTimer(wait.toMillis(), ignored -> {
            if (answered.compareAndSet(false, true)) {
                TaskView view = dispatcher.view(task);
                JsonAnswer.send(ctx, view.state().ended() ? 200 : 202, TaskJson.task(view));
            }
        });
        task.ended()
                .thenAccept(view -> loop.runOnContext(ignored -> {
                    if (answered.compareAndSet(false, true)) {
                        vertx.cancelTimer(timer);
                        JsonAnswer.send(ctx, 200, TaskJson.task(view));
                    }
                }));
    }

    private void handleHasBundle(RoutingContext ctx) {
        access.check(ctx.request());
        ctx.response()
                .setStatusCode(bundles.contains(ctx.pathParam("id")) ? 200 : 404)
                .end();
    }

    private void handlePutBundle(RoutingContext ctx) {
        access.check(ctx.request());
        String id = ctx.pathParam("id");
        Buffer body = ctx.body().buffer();
        boolean created;
        try {
            created = bundles.put(id, body == null ? new byte[0] : body.getBytes());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidParameter("body", e.getMessage());
        }
        ObjectNode json = JSON.createObjectNode().put("bundle", id).put("stored", created);
        JsonAnswer.send(ctx, created ? 201 : 200, json);
    }

    private void handleWorkers(RoutingContext ctx) {
        JsonAnswer.send(ctx, 200, TaskJson.workers(dispatcher.workers()));
    }

    private void handleStats(RoutingContext ctx) {
        JsonAnswer.send(ctx, 200, TaskJson.stats(dispatcher.stats()));
    }

    @Override
    /**
     * Ready once workers can join and, for each language this server starts workers of, one has
     * joined: before that a task would only wait in the queue for a process to start.
     */
    public Future<Boolean> ready() {
        if (!listening.get()) {
            return Future.succeededFuture(false);
        }
        boolean java = config.workers() == 0 || hasConnected(Language.JAVA);
        boolean python = config.pythonWorkers() == 0 || hasConnected(Language.PYTHON);
        return Future.succeededFuture(java && python);
    }

    private boolean hasConnected(Language language) {
        return dispatcher.workers().stream()
                .anyMatch(w ->
                        w.language() == language && (w.state() == WorkerState.IDLE || w.state() == WorkerState.BUSY));
    }

    @Override
    public JsonObject openApi() {
        return OpenApiFragment.load(DistributeService.class, "openapi.json");
    }

    /**
     * Stops taking tasks (queued ones fail with {@code SHUTDOWN}), lets running tasks finish within
     * the shutdown timeout, then ends every worker process.
     */
    @Override
    public Future<Void> close() {
        if (dispatcher == null) {
            timers.shutdownNow();
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(
                        () -> {
                            dispatcher.stopAccepting();
                            log.atInfo().log("distribute: no new tasks; waiting for running tasks to finish");
                            if (!dispatcher.awaitNothingRunning(shutdownTimeout)) {
                                log.atWarn()
                                        .log(
                                                "distribute: tasks still running after the shutdown timeout; ending their workers");
                            }
                            localWorkers.stop();
                            pythonWorkers.stop();
                            timers.shutdownNow();
                            log.atInfo().log("distribute: workers stopped");
                            return null;
                        },
                        false)
                .compose(ignored -> linkServer.close());
    }

    /** The dispatcher, for tests in this module. */
    Dispatcher dispatcher() {
        return dispatcher;
    }

    /** The local worker processes, for tests in this module. */
    LocalWorkers localWorkers() {
        return localWorkers;
    }

    int linkPort() {
        return linkPort;
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
