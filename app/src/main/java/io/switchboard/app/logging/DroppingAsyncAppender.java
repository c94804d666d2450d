package io.switchboard.app.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logback's asynchronous appender, set never to block: when the queue is full (stderr slower than
 * the events come), the event is dropped and counted instead of stalling the thread that logs,
 * which is usually an event loop. {@link #dropped()} is exported as the metric {@code
 * switchboard_log_events_dropped_total}.
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
        super.append(event);
    }

    /** Log events dropped because the queue was full. */
    public static long dropped() {
        return DROPPED.get();
    }
}
