package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/**
 * Regression: the JSON encoder (Jackson 3) once failed on key-value pairs holding a list, because
 * the build resolved an older jackson-annotations; the failure killed the async log writer and
 * then blocked every logging thread, event loops included.
 */
class JsonLoggingTest {

    @Test
    void encodesKeyValuePairsHoldingListsAsJsonArrays() {
        LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.start();
        LoggingEvent event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLoggerName("test");
        event.setLevel(Level.INFO);
        event.setMessage("switchboard listening");
        event.setTimeStamp(0);
        event.addKeyValuePair(new KeyValuePair("services", List.of("compute", "relay")));
        event.addKeyValuePair(new KeyValuePair("port", 8080));

        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(line).contains("\"services\":[\"compute\",\"relay\"]").contains("\"port\":8080");
    }
}
