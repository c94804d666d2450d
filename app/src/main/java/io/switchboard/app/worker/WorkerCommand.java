package io.switchboard.app.worker;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.distribute.DistributeConfig;
import io.switchboard.distribute.DistributeNode;
import io.switchboard.distribute.jetstream.JetStreamLink;
import io.switchboard.distribute.supervise.PythonCommand;
import io.switchboard.distribute.worker.WorkerMain;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard worker}: runs distribute workers on this machine for a dispatcher elsewhere.
 *
 * <ul>
 *   <li>{@code --connect HOST:PORT}: this process is one worker; it joins a {@code serve} whose
 *       worker link listens beyond loopback ({@code --distribute-worker-host}) and runs one task at
 *       a time until the link closes. {@code serve} starts its own workers with the same entry
 *       point.
 *   <li>{@code --connect nats://HOST:4222}: this process is a worker node; it supervises {@code
 *       --workers} local worker processes (and {@code --python-workers}) and feeds each one task at
 *       a time from the JetStream queue that {@code serve --distribute-queue} instances share.
 * </ul>
 */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Runs distribute workers: one worker joining a serve (HOST:PORT), or a node of workers "
                + "pulling from a NATS JetStream queue (nats://HOST:PORT).")
public final class WorkerCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

    @Option(
            names = "--connect",
            required = true,
            description = "The dispatcher's worker link HOST:PORT (serve logs it at start), or the JetStream "
                    + "queue nats://HOST:PORT (env WORKER_CONNECT).")
    String connect;

    @Option(
            names = "--token",
            description = "HOST:PORT: a distribute token (one of serve's DISTRIBUTE_TOKENS); nats://: the NATS "
                    + "server's authentication token, if it has one (env WORKER_TOKEN).")
    String token;

    @Option(
            names = "--id",
            description = "This worker's (or node's) id in listings and metrics (env WORKER_ID; default: "
                    + "worker-<pid>, or node-<pid>-<random>@<host> with nats://).")
    String id;

    @Option(
            names = "--workers",
            defaultValue = "-1",
            description = "nats:// only: local Java worker processes, -1 for one per core (env WORKER_WORKERS; "
                    + "default -1).")
    int workers;

    @Option(
            names = "--python-workers",
            defaultValue = "0",
            description = "nats:// only: local Python worker processes for POST /rpc tasks; -1 for one per core "
                    + "when a python3 with cloudpickle is found (env WORKER_PYTHON_WORKERS; default 0).")
    int pythonWorkers;

    @Option(
            names = "--worker-heap",
            defaultValue = "256m",
            description = "nats:// only: heap of each local worker JVM (env WORKER_WORKER_HEAP; default 256m).")
    String heap;

    @Override
    public Integer call() throws InterruptedException {
        if (connect.startsWith("nats://") || connect.startsWith("tls://")) {
            return runNode();
        }
        int colon = connect.lastIndexOf(':');
        if (colon <= 0 || colon == connect.length() - 1) {
            throw new IllegalArgumentException("--connect is HOST:PORT or nats://HOST:PORT, was " + connect);
        }
        int port;
        try {
            port = Integer.parseInt(connect.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--connect is HOST:PORT or nats://HOST:PORT, was " + connect);
        }
        String workerId = id != null ? id : "worker-" + ProcessHandle.current().pid();
        return WorkerMain.run(connect.substring(0, colon), port, workerId, token);
    }

    /** A node: local workers fed from JetStream until SIGTERM, then a graceful stop. */
    private int runNode() throws InterruptedException {
        if (!heap.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("--worker-heap is a size such as 256m, was " + heap);
        }
        if (workers < -1 || workers > 1024 || pythonWorkers < -1 || pythonWorkers > 1024) {
            throw new IllegalArgumentException("--workers and --python-workers are 0..1024, or -1 for one per core");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        Optional<PythonCommand> python = pythonWorkers == 0
                ? Optional.empty()
                : PythonCommand.find(null, Path.of(System.getProperty("java.io.tmpdir"), "switchboard-worker"));
        if (pythonWorkers > 0 && python.isEmpty()) {
            throw new IllegalArgumentException(
                    "--python-workers needs a python3 with cloudpickle " + "(apt-get install python3-cloudpickle)");
        }
        String node = id != null ? id : DistributeNode.newId("node");
        DistributeConfig config = DistributeConfig.defaults(
                        workers == -1 ? cores : workers,
                        io.switchboard.distribute.supervise.WorkerCommand.sameJvm(heap))
                .withPython(pythonWorkers == -1 ? (python.isPresent() ? cores : 0) : pythonWorkers, python.orElse(null))
                .withQueue(connect);
        JetStreamLink link = JetStreamLink.connect(connect, token, "switchboard " + node, 0, config.retention());
        Vertx vertx = Vertx.vertx();
        DistributeNode distribute =
                new DistributeNode(config, vertx, new SimpleMeterRegistry(), Clock.systemUTC(), link, node);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.atInfo().log("worker node {}: stopping (SIGTERM)", node);
            try {
                distribute.stop(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            link.close();
            vertx.close();
            stopped.countDown();
        }));
        distribute.start().toCompletionStage().toCompletableFuture().join();
        log.atInfo()
                .addKeyValue("node", node)
                .log(
                        "worker node {}: {} Java and {} Python workers pull tasks from {}",
                        node,
                        config.workers(),
                        config.pythonWorkers(),
                        link.server());
        stopped.await();
        return 0;
    }
}
