package io.switchboard.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.switchboard.app.start.Switchboard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @TempDir
    Path dataDir;

    @Test
    void theDashboardShowsEveryRunningServiceAndItsChartsMoveUnderLoad() throws Exception {
        requireBrowser();
        Switchboard.Running running = ServeLoad.startEverything(dataDir, EYE_KEY);
        ServeLoad load = new ServeLoad("http://127.0.0.1:" + running.port(), EYE_KEY);
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
            assertThat(load.sent()).as("requests sent during the test").isPositive();
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
}
