package io.switchboard.bench.load;

/**
 * When each request of the open model is due: request {@code i} at {@code start + i / rate}. The
 * schedule is a pure function of time, so a generator that falls behind (a paused event loop, a
 * full connection pool) sends the overdue requests at once and their latency still counts from
 * when they were due — the correction for coordinated omission.
 */
public final class ArrivalSchedule {

    private final long startNanos;
    private final double intervalNanos;
    private final long endNanos;

    /**
     * @param startNanos when request 0 is due
     * @param ratePerSecond requests per second
     * @param endNanos no request is due at or after this time
     */
    public ArrivalSchedule(long startNanos, double ratePerSecond, long endNanos) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive, was " + ratePerSecond);
        }
        this.startNanos = startNanos;
        this.intervalNanos = 1e9 / ratePerSecond;
        this.endNanos = endNanos;
    }

    /** When request {@code index} is due. */
    public long intendedNanos(long index) {
        return startNanos + (long) (index * intervalNanos);
    }

    /** How many requests are due at {@code nowNanos} (requests 0 to the result minus one). */
    public long dueCount(long nowNanos) {
        long until = Math.min(nowNanos, endNanos - 1);
        if (until < startNanos) {
            return 0;
        }
        return (long) Math.floor((until - startNanos) / intervalNanos) + 1;
    }

    /** How many requests the whole schedule holds. */
    public long totalCount() {
        return dueCount(endNanos - 1);
    }
}
