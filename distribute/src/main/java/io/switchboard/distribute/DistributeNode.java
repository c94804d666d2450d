package io.switchboard.distribute;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.distribute.bundle.BundleStore;
import io.switchboard.distribute.dispatch.Dispatcher;
import io.switchboard.distribute.dispatch.Language;
import io.switchboard.distribute.dispatch.WorkerAvailability;
import io.switchboard.distribute.dispatch.WorkerState;
import io.switchboard.distribute.jetstream.JetStreamLink;
import io.switchboard.distribute.jetstream.JetStreamPump;
import io.switchboard.distribute.jetstream.ObjectStoreBundles;
import io.switchboard.distribute.link.WorkerLinkServer;
import io.switchboard.distribute.supervise.LocalWorkers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of distribute that runs tasks on this machine: the {@link Dispatcher}, the worker link,
 * the supervised local worker processes and, with a JetStream queue, the {@link JetStreamPump} that
 * feeds them from it. {@code serve} puts its HTTP API in front of one ({@link DistributeService});
 * {@code switchboard worker --connect nats://…} runs one with no HTTP at all.
 */
public final class DistributeNode {

    private static final Logger log = LoggerFactory.getLogger(DistributeNode.class);

    private final DistributeConfig config;
    private final @Nullable JetStreamLink jetStream;
    /** Null with the in-process queue. */
    private final @Nullable JetStreamPump pump;

    private final String linkToken = newToken();
    private final ScheduledExecutorService timers = newTimers();
    private final AtomicBoolean listening = new AtomicBoolean();
    private final Dispatcher dispatcher;
    private final BundleStore bundles;
    private final LocalWorkers localWorkers;
    private final LocalWorkers pythonWorkers;
    private final WorkerLinkServer linkServer;
    private final String node;

    /**
     * @param jetStream the shared queue, or null for the in-process one
     * @param node this node's id in worker listings across machines
     */
    public DistributeNode(
            DistributeConfig config,
            Vertx vertx,
            MeterRegistry registry,
            Clock clock,
            @Nullable JetStreamLink jetStream,
            String node) {
        this.config = config;
        this.jetStream = jetStream;
        this.node = node;
        this.pump = jetStream == null ? null : new JetStreamPump(jetStream, node, timers);
        this.dispatcher = new Dispatcher(
                config.queueCapacity(),
                config.retention(),
                clock,
                System::nanoTime,
                timers,
                registry,
                pump == null ? WorkerAvailability.NONE : pump);
        this.bundles = jetStream == null
                ? new BundleStore(config.bundleBytes())
                : new BundleStore(config.bundleBytes(), new ObjectStoreBundles(jetStream));
        this.localWorkers = new LocalWorkers(config.workers(), config.workerCommand(), linkToken, dispatcher, timers);
        this.pythonWorkers =
                new LocalWorkers(config.pythonWorkers(), config.pythonCommand(), linkToken, dispatcher, timers);
        Set<String> linkTokens = new HashSet<>(config.tokens());
        linkTokens.add(linkToken);
        this.linkServer = new WorkerLinkServer(
                vertx,
                dispatcher,
                bundles,
                linkTokens,
                id -> localWorkers.supervises(id) || pythonWorkers.supervises(id),
                (id, pid) -> {
                    localWorkers.kill(id, pid);
                    pythonWorkers.kill(id, pid);
                });
    }

    /** Opens the worker link, then starts the local workers and, with JetStream, the pulling. */
    public Future<Integer> start() {
        return linkServer
                .listen(config.workerHost(), config.workerPort())
                .onSuccess(port -> {
                    listening.set(true);
                    if (pump != null) {
                        pump.start(dispatcher);
                    }
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
    }

    /** Workers on this machine reach a wildcard listener through loopback. */
    private String linkHost() {
        String host = config.workerHost();
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    /**
     * Ready once workers can join and, for each language this node starts workers of, one has
     * joined: before that a task would only wait for a process to start.
     */
    public boolean ready() {
        if (!listening.get() || (jetStream != null && !jetStream.connected())) {
            return false;
        }
        boolean java = config.workers() == 0 || hasConnected(Language.JAVA);
        boolean python = config.pythonWorkers() == 0 || hasConnected(Language.PYTHON);
        return java && python;
    }

    private boolean hasConnected(Language language) {
        return dispatcher.workers().stream()
                .anyMatch(w ->
                        w.language() == language && (w.state() == WorkerState.IDLE || w.state() == WorkerState.BUSY));
    }

    /**
     * Stops taking tasks, lets running ones finish within {@code timeout}, then ends every worker
     * process. Blocking: call it off the event loops. On JetStream, queued tasks stay in the stream
     * for other nodes, and a task whose worker had to be killed goes back to it.
     */
    public void stop(Duration timeout) throws InterruptedException {
        if (pump != null) {
            pump.stopPulling();
            log.atInfo().log("distribute: node {} pulls no more tasks", node);
        }
        dispatcher.stopAccepting();
        log.atInfo().log("distribute: no new tasks; waiting for running tasks to finish");
        if (!dispatcher.awaitNothingRunning(timeout)) {
            log.atWarn().log("distribute: tasks still running after the shutdown timeout; ending their workers");
        }
        localWorkers.stop();
        pythonWorkers.stop();
        if (pump != null) {
            pump.close();
        }
        timers.shutdownNow();
        log.atInfo().log("distribute: workers stopped");
    }

    public Future<Void> closeLink() {
        return linkServer.close();
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public BundleStore bundles() {
        return bundles;
    }

    public String id() {
        return node;
    }

    LocalWorkers localWorkers() {
        return localWorkers;
    }

    int linkPort() {
        return linkServer.port();
    }

    /**
     * A node id for listings across machines: {@code role-pid-xxxx@host}. The random part keeps two
     * instances in one process (tests, embedding) apart.
     */
    public static String newId(String role) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return role + "-" + ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits((short) new SecureRandom().nextInt()) + "@" + host;
    }

    /**
     * One timer thread for task timeouts and a JetStream task's beats, set up per task and nearly
     * always cancelled before they fire: removed on cancel, they never wake the thread.
     */
    private static ScheduledExecutorService newTimers() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("distribute-timers").daemon().factory());
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
