package io.switchboard.app.serve;

import io.switchboard.app.start.Switchboard;
import io.switchboard.bench.BenchPlan;
import io.switchboard.bench.BenchResult;
import io.switchboard.bench.LoadModel;
import io.switchboard.bench.Progress;
import io.switchboard.bench.RequestSpec;
import io.switchboard.bench.report.TerminalSummary;
import io.switchboard.bench.run.Bench;
import io.switchboard.platform.Service;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard train}: the training run of the ahead-of-time cache, run by the build as
 * {@code java -XX:AOTCacheOutput=switchboard.aot -jar switchboard.jar train}. Hidden from help.
 *
 * <p>It does in one JVM what a real start does, so that the cache holds those classes already
 * loaded and linked, and profiles of the hot methods (JDK 25, JEP 483 and 515): starts every
 * service on embedded defaults (a temporary data directory, a free loopback port), drives the hot
 * request paths (health, compute, the relay's catch-all, metrics) with {@code bench}'s client,
 * which trains {@code bench} too, then stops gracefully. Nothing of it stays on disk.
 */
@Command(name = "train", hidden = true, description = "Training run of the AOT cache (used by the build).")
public final class TrainCommand implements Callable<Integer> {

    @Option(
            names = "--seconds",
            defaultValue = "4",
            description = "Length of the request load (env TRAIN_SECONDS; default ${DEFAULT-VALUE}).")
    int seconds;

    /** Paths driven round-robin: the ones a short benchmark or a first minute of traffic hits. */
    private static final List<String> PATHS = List.of(
            "/health/live",
            "/health/ready",
            "/fibonacci/1000",
            "/factorial/300",
            "/ackermann/3/5",
            "/restaurant",
            "/fibonacci/90",
            "/not-a-route/404");

    @Override
    public Integer call() throws IOException {
        Path data = Files.createTempDirectory("switchboard-train");
        try {
            ServeCommand serve = new ServeCommand();
            // A port of its own choosing, as a real start has (port 0 takes another path through the
            // server's per-event-loop binding).
            new CommandLine(serve)
                    .parseArgs(
                            "--host",
                            "127.0.0.1",
                            "--port",
                            Integer.toString(freePort()),
                            "--data-dir",
                            data.toString());
            List<Service> services = serve.createServices();
            Switchboard.Running running = Switchboard.startOrExplain(serve.server.toConfig(), services);
            try {
                String base = "http://127.0.0.1:" + running.port();
                List<RequestSpec> requests = Stream.concat(PATHS.stream(), Stream.of("/metrics"))
                        .map(path -> RequestSpec.get(URI.create(base + path)))
                        .toList();
                BenchPlan plan = new BenchPlan(
                        requests,
                        new LoadModel.Closed(List.of(16)),
                        Duration.ofSeconds(seconds),
                        0,
                        Duration.ZERO,
                        Duration.ofSeconds(10),
                        null,
                        null,
                        Runtime.getRuntime().availableProcessors());
                BenchResult result = Bench.run(plan, Progress.NONE);
                System.out.print(TerminalSummary.format(result));
            } finally {
                running.stop().toCompletionStage().toCompletableFuture().join();
            }
            return 0;
        } finally {
            deleteRecursively(data);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
