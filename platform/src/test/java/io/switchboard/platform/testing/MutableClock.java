package io.switchboard.platform.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock tests move forward by hand instead of sleeping. Either frozen at a start instant ({@link
 * #MutableClock(Instant)}), or following the system clock plus the advanced offset ({@link
 * #MutableClock()}) where real time must still pass, e.g. beside real sockets and timers.
 */
public final class MutableClock extends Clock {

    /** The frozen start instant in epoch millis, or null to follow the system clock. */
    private final Long startMillis;

    private final AtomicLong offsetMillis = new AtomicLong();

    /** A clock frozen at {@code start} until advanced. */
    public MutableClock(Instant start) {
        this.startMillis = start.toEpochMilli();
    }

    /** The system clock, shifted by whatever the test advances. */
    public MutableClock() {
        this.startMillis = null;
    }

    public void advance(Duration duration) {
        offsetMillis.addAndGet(duration.toMillis());
    }

    @Override
    public long millis() {
        return (startMillis == null ? System.currentTimeMillis() : startMillis) + offsetMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
