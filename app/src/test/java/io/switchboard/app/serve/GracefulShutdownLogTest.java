package io.switchboard.app.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code serve} process receiving SIGTERM says so on stderr, then logs each phase of its
 * shutdown (drain, closing services, services closed, complete) before exiting 0, with the
 * production JSON log configuration.
 */
class GracefulShutdownLogTest {

    @Test
    void sigtermIsLoggedWithEveryShutdownPhaseAndExitsZero(@TempDir Path dir) throws Exception {
        // A file, not a pipe: reading a pipe while the process exits can fail with "Stream closed".
        Path stderr = dir.resolve("stderr.log");
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
                .redirectError(stderr.toFile())
                .start();
        try {
            Awaitility.await()
                    .atMost(60, TimeUnit.SECONDS)
                    .failFast("serve exited early", () -> !serve.isAlive())
                    .until(() -> Files.readString(stderr).contains("switchboard listening"));

            serve.destroy(); // SIGTERM

            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(stderr);
            assertThat(serve.exitValue()).as(log).isZero();
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
}
