package io.switchboard.app.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.event.KeyValuePair;

/**
 * Logback's asynchronous appender, set never to block: when the queue is full (stderr slower than
 * the events come), the event is dropped and counted instead of stalling the thread that logs,
 * which is usually an event loop. {@link #dropped()} is exported as the metric {@code
 * switchboard_log_events_dropped_total}. Lines logged while serving a request that carries a trace
 * context get its trace and span ids.
 */
public final class DroppingAsyncAppender extends AsyncAppender {

    /** Events dropped by every instance since start (one per process in practice). */
    private static final AtomicLong DROPPED = new AtomicLong();

    public DroppingAsyncAppender() {
        setNeverBlock(true);
    }

    /** Never blocking is the point of this appender; a configuration cannot turn it off. */
    @Override
    public void setNeverBlock(boolean neverBlock) {
        super.setNeverBlock(true);
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (getRemainingCapacity() == 0) {
            DROPPED.incrementAndGet();
            return;
        }
        addTraceContext(event);
        super.append(event);
    }

    /**
     * Adds {@code trace_id} and {@code span_id} of the request being served to its every log line.
     * Runs on the thread that logs, where the request's trace context is current (the writer
     * thread behind the queue knows nothing of requests); no-op outside a traced request.
     */
    private static void addTraceContext(ILoggingEvent event) {
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid() && event instanceof LoggingEvent logging && !hasTraceId(logging)) {
            logging.addKeyValuePair(new KeyValuePair("trace_id", span.getTraceId()));
            logging.addKeyValuePair(new KeyValuePair("span_id", span.getSpanId()));
        }
    }

    /** Whether the line names its trace already (the access log takes it at the request's start). */
    private static boolean hasTraceId(LoggingEvent event) {
        return event.getKeyValuePairs() != null
                && event.getKeyValuePairs().stream().anyMatch(pair -> "trace_id".equals(pair.key));
    }

    /** Log events dropped because the queue was full. */
    public static long dropped() {
        return DROPPED.get();
    }
}
