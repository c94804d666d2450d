package io.switchboard.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.platform.testing.RunningPlatform;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * With tracing off, a caller's trace context is still current while its request is served, so the
 * access log line names the caller's trace.
 */
class AccessLogTraceTest {

    private final Logger access = (Logger) LoggerFactory.getLogger("access");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level levelBefore;
    private RunningPlatform server;

    @BeforeEach
    void captureAccessLog() {
        levelBefore = access.getLevel();
        access.setLevel(Level.INFO);
        lines.start();
        access.addAppender(lines);
    }

    @AfterEach
    void restore() {
        server.close();
        access.detachAppender(lines);
        access.setLevel(levelBefore);
    }

    @Test
    void theAccessLineCarriesTheCallersTraceId() {
        server = RunningPlatform.start();

        server.get("/health/live", "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        server.get("/health/live");

        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> lines.list.size() >= 2);
        assertThat(keyValues(lines.list.get(0))).contains("trace_id=4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(keyValues(lines.list.get(1))).noneMatch(kv -> kv.startsWith("trace_id="));
    }

    private static List<String> keyValues(ILoggingEvent event) {
        return event.getKeyValuePairs() == null
                ? List.of()
                : event.getKeyValuePairs().stream()
                        .map(kv -> kv.key + "=" + kv.value)
                        .toList();
    }
}
