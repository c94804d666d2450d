package io.switchboard.app.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A real {@code serve} process receiving SIGTERM says so on stderr, then logs each phase of its
 * shutdown (drain, closing services, services closed, complete) before exiting 0, with the
 * production JSON log configuration.
 */
class GracefulShutdownLogTest {

    @Test
    void sigtermIsLoggedWithEveryShutdownPhaseAndExitsZero() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process serve = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dlogback.configurationFile=logback.xml",
                        "io.switchboard.app.Main",
                        "serve",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        // one loop: with port 0, a second server instance cannot join the first's port
                        "--event-loops",
                        "1",
                        "--only",
                        "compute")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> stderr = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> readLines(serve, stderr));
        try {
            Awaitility.await()
                    .atMost(60, TimeUnit.SECONDS)
                    .failFast("serve exited early: " + stderr, () -> !serve.isAlive())
                    .until(() -> stderr.stream().anyMatch(line -> line.contains("switchboard listening")));

            serve.destroy(); // SIGTERM

            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
            reader.get(10, TimeUnit.SECONDS);
            assertThat(serve.exitValue()).isZero();
            String log = String.join("\n", stderr);
            assertThat(log)
                    .contains("received SIGTERM: shutting down gracefully")
                    .contains("\"phase\":\"drain\"")
                    .contains("\"phase\":\"close-services\"")
                    .contains("\"phase\":\"services-closed\"")
                    .contains("\"phase\":\"stopped\"");
            assertThat(log.indexOf("received SIGTERM")).isLessThan(log.indexOf("\"phase\":\"drain\""));
            assertThat(log.indexOf("\"phase\":\"services-closed\"")).isLessThan(log.indexOf("\"phase\":\"stopped\""));
        } finally {
            serve.destroyForcibly();
        }
    }

    private static void readLines(Process process, List<String> into) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                into.add(line);
            }
        } catch (java.io.IOException e) {
            into.add("stderr read failed: " + e);
        }
    }
}
