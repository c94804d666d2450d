package io.switchboard.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.switchboard.app.Switchboard;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code /dashboard} in a real browser: a full {@code serve} (every service, two distribute
 * workers, eye on SQLite) under load, and headless Chromium driven by Playwright
 * ({@code dashboard-test/dashboard.test.mjs}) checking that each service's charts are drawn and move
 * and that nothing comes from outside the server. Needs {@code node}, {@code npm ci} in
 * {@code dashboard-test/} and Debian's {@code chromium}: skipped (saying so) where they are
 * missing, failing instead in CI ({@code SWITCHBOARD_REQUIRE_SERVICES=true}).
 */
class DashboardBrowserTest {

    private static final Path SCRIPT_DIR =
            Path.of("..", "dashboard-test").toAbsolutePath().normalize();

    private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");

    private static final String EYE_KEY = "dashboard-test-key-0123456789abcdef";

    private static final DateTimeFormatter EYE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    @TempDir
    Path dataDir;

    @Test
    void theDashboardShowsEveryRunningServiceAndItsChartsMoveUnderLoad() throws Exception {
        requireBrowser();
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve)
                .parseArgs(
                        "--port", "0",
                        "--host", "127.0.0.1",
                        "--event-loops", "1",
                        "--data-dir", dataDir.toString(),
                        "--distribute-workers", "2",
                        "--distribute-python-workers", "0",
                        "--eye-api-keys", "web:" + EYE_KEY);
        Switchboard.Running running = Switchboard.start(serve.server.toConfig(), serve.createServices())
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        Load load = new Load("http://127.0.0.1:" + running.port());
        Path screenshot = Path.of("target", "dashboard.png").toAbsolutePath();
        Path log = Path.of("target", "dashboard-test.log").toAbsolutePath();
        try {
            load.start();
            Process node = new ProcessBuilder(
                            "node",
                            "dashboard.test.mjs",
                            "--url",
                            "http://127.0.0.1:" + running.port(),
                            "--expect",
                            "http,compute,fanout,relay,eye,distribute",
                            "--screenshot",
                            screenshot.toString(),
                            "--chromium",
                            CHROMIUM)
                    .directory(SCRIPT_DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            boolean ended = node.waitFor(3, TimeUnit.MINUTES);
            if (!ended) {
                node.destroyForcibly();
            }
            String output = Files.readString(log);

            assertThat(ended)
                    .as("browser test ended within 3 minutes:%n%s", output)
                    .isTrue();
            assertThat(node.exitValue()).as("browser test output:%n%s", output).isZero();
            assertThat(output).contains("the request chart moves", "distribute workers are listed");
            assertThat(load.sent.get()).as("requests sent during the test").isPositive();
            assertThat(Files.size(screenshot)).isPositive();
        } finally {
            load.stop();
            running.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    /** Skips where node, the npm packages or Chromium are missing; fails instead in CI. */
    private static void requireBrowser() {
        List<String> missing = new ArrayList<>();
        if (!commandRuns("node", "--version")) {
            missing.add("node");
        }
        if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules").resolve("playwright-core"))) {
            missing.add("playwright-core (run 'npm ci' in dashboard-test/)");
        }
        if (!Files.isExecutable(Path.of(CHROMIUM))) {
            missing.add("Chromium at " + CHROMIUM);
        }
        if (!missing.isEmpty() && Boolean.parseBoolean(System.getenv("SWITCHBOARD_REQUIRE_SERVICES"))) {
            throw new IllegalStateException(
                    "the dashboard browser test is required (SWITCHBOARD_REQUIRE_SERVICES=true) but " + missing
                            + " is missing");
        }
        assumeTrue(missing.isEmpty(), "SKIPPED: dashboard browser test needs " + missing);
    }

    private static boolean commandRuns(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A mixed load on every service, one virtual thread per kind of request, until stopped. */
    private static final class Load {
        private final String base;
        private final HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong sent = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();

        Load(String base) {
            this.base = base;
        }

        void start() {
            loop(() -> get("/fibonacci/" + ThreadLocalRandom.current().nextInt(1_000, 40_000)));
            loop(() -> get("/factorial/" + ThreadLocalRandom.current().nextInt(100, 3_000)));
            loop(() -> get("/health/live"));
            loop(() -> get(
                    ThreadLocalRandom.current().nextInt(4) == 0 ? "/restaurant?page=" + sent.get() : "/restaurant"));
            loop(() -> get("/api/smart"));
            loop(() -> get("/api/first"));
            loop(() -> post("/distribute/tasks?wait=10s", "{\"function\":\"sleep\",\"args\":[150]}", null));
            loop(() -> post("/events", event(), EYE_KEY));
        }

        private static String event() {
            return "{\"session_id\":\"s" + ThreadLocalRandom.current().nextInt(20)
                    + "\",\"category\":\"page interaction\",\"name\":\"pageview\",\"data\":{\"host\":\"h\",\"path\":\"/\"},"
                    + "\"timestamp\":\""
                    + EYE_TIME.format(LocalDateTime.now(ZoneOffset.UTC).minusSeconds(1)) + "\"}";
        }

        private void loop(Runnable request) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    try {
                        request.run();
                    } catch (RuntimeException e) {
                        // A refused or failed request is load too; keep going.
                    }
                }
            }));
        }

        private void get(String path) {
            send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
        }

        private void post(String path, String body, String key) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            send(request.build());
        }

        private void send(HttpRequest request) {
            try {
                client.send(request, HttpResponse.BodyHandlers.discarding());
                sent.incrementAndGet();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.set(false);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }
}
