package io.switchboard.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/**
 * Lines logged while a request's trace context is current carry its trace and span ids, taken on
 * the logging thread before the event is queued for the writer thread.
 */
class TraceIdLoggingTest {

    private final LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    private final ListAppender<ILoggingEvent> written = new ListAppender<>();
    private final DroppingAsyncAppender appender = new DroppingAsyncAppender();

    @BeforeEach
    void start() {
        written.setContext(context);
        written.start();
        appender.setContext(context);
        appender.addAppender(written);
        appender.start();
    }

    @AfterEach
    void stop() {
        appender.stop();
    }

    @Test
    void aLineLoggedInsideATraceCarriesItsIds() {
        SpanContext remote = SpanContext.createFromRemoteParent(
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7",
                TraceFlags.getSampled(),
                TraceState.getDefault());
        try (Scope _ = Span.wrap(remote).makeCurrent()) {
            appender.doAppend(event("inside"));
        }
        appender.doAppend(event("outside"));
        appender.stop(); // drains the queue

        assertThat(keyValues(written.list.get(0)))
                .contains("trace_id=4bf92f3577b34da6a3ce929d0e0e4736", "span_id=00f067aa0ba902b7");
        assertThat(keyValues(written.list.get(1))).noneMatch(kv -> kv.startsWith("trace_id"));
    }

    @Test
    void aLineThatNamesItsTraceAlreadyIsLeftAlone() {
        SpanContext remote = SpanContext.createFromRemoteParent(
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7",
                TraceFlags.getSampled(),
                TraceState.getDefault());
        LoggingEvent access = event("request");
        access.addKeyValuePair(new KeyValuePair("trace_id", "0af7651916cd43dd8448eb211c80319c"));
        try (Scope _ = Span.wrap(remote).makeCurrent()) {
            appender.doAppend(access);
        }
        appender.stop();

        assertThat(keyValues(written.list.get(0)))
                .filteredOn(kv -> kv.startsWith("trace_id="))
                .containsExactly("trace_id=0af7651916cd43dd8448eb211c80319c");
    }

    private LoggingEvent event(String message) {
        LoggingEvent event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLoggerName("test");
        event.setLevel(Level.INFO);
        event.setMessage(message);
        event.setTimeStamp(0);
        return event;
    }

    private static List<String> keyValues(ILoggingEvent event) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        return pairs == null
                ? List.of()
                : pairs.stream().map(kv -> kv.key + "=" + kv.value).toList();
    }
}
