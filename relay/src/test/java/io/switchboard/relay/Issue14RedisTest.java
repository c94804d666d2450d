package io.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.platform.testing.RunningPlatform;
import io.switchboard.relay.internal.RealRelay;
import java.io.File;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 14, defect 6: a Redis store whose first connection failed used to stay unconnected for
 * good and log a warning on every request. Now it reconnects with backoff, the origin answers
 * meanwhile, and the warning is rate-limited.
 */
class Issue14RedisTest {

    /** The redis-server executable on the PATH, or null. */
    private static Path redisServer() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void aRedisThatComesUpAfterTheRelayIsUsedOnceItAnswersAndWarningsAreRateLimited() throws Exception {
        Path redis = redisServer();
        assumeThat(redis).as("redis-server on the PATH").isNotNull();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Logger relayLog = (Logger) LoggerFactory.getLogger(RealRelay.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        relayLog.addAppender(logged);
        Process server = null;
        try (TestBackend backend = new TestBackend();
                RunningPlatform relay = RunningPlatform.start(new RelayService(
                        RelayConfig.defaults(backend.base()).withCache("redis://127.0.0.1:" + port)))) {
            backend.answer(req ->
                    req.response().putHeader("Cache-Control", "max-age=60").end("origin"));

            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = relay.get("/before/" + i);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("origin");
            }
            long warnings =
                    logged.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
            assertThat(warnings)
                    .as("warnings for 20 requests to a store that is down")
                    .isLessThanOrEqualTo(1);

            server = new ProcessBuilder(
                            redis.toString(), "--port", Integer.toString(port), "--save", "", "--appendonly", "no")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                relay.get("/after");
                assertThat(relay.get("/after").headers().firstValue("x-cache")).contains("HIT");
            });
        } finally {
            relayLog.detachAppender(logged);
            if (server != null) {
                server.destroy();
                server.waitFor();
            }
        }
    }
}
