package io.switchboard.relay.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A warning logged at most once per interval, with the number of occurrences left out since the
 * last one: a store that is down for an hour must not write a line per request.
 *
 * <p>Threads: called from every event loop; the state is two atomics.
 */
final class RateLimitedWarning {

    private final Logger log;
    private final Clock clock;
    private final long intervalMillis;
    private final AtomicLong nextAllowedAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedWarning(Logger log, Clock clock, Duration interval) {
        this.log = log;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
    }

    void warn(String message, Throwable failure) {
        long now = clock.millis();
        long allowedAt = nextAllowedAt.get();
        if (now < allowedAt || !nextAllowedAt.compareAndSet(allowedAt, now + intervalMillis)) {
            suppressed.incrementAndGet();
            return;
        }
        log.atWarn()
                .addKeyValue("error", failure.toString())
                .addKeyValue("suppressed", suppressed.getAndSet(0))
                .log(message);
    }
}
