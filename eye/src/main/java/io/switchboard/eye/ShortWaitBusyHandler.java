package io.switchboard.eye;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.sqlite.BusyHandler;

/**
 * A SQLite busy handler that retries a locked database after short waits: {@code firstWait},
 * doubling up to {@code maxWait}, for at most {@code giveUpAfter} in all, then reports the
 * database busy. It is installed on the ingest writer's connection so that an acknowledgement
 * waiting for the write lock takes it within about {@code maxWait} of its release.
 *
 * <p><b>Why not {@code busy_timeout}</b>: SQLite's built-in handler sleeps 1, 2, 5, 10, 15, 20,
 * 25 ... 100 ms between tries, so a writer that finds the lock held for half a millisecond sleeps
 * at least 1 ms, and after a few misses 10 ms or more: the tail of the acknowledgement latency.
 * Installing a handler replaces {@code busy_timeout} on that connection, so this one keeps its
 * give-up time. The processor keeps the sleeping default, so under contention the writer (whose
 * callers wait for its commit) takes the lock first.
 *
 * <p>One instance per connection (it remembers when the current wait began), called only on the
 * thread running a statement on that connection. An interrupted thread gives up at once, so a
 * writer being stopped is not held for the whole give-up time.
 */
final class ShortWaitBusyHandler extends BusyHandler {

    /** Waits the given number of nanoseconds (or less, if interrupted). */
    @FunctionalInterface
    interface Parker {
        void park(long nanos);
    }

    private final long firstWaitNanos;
    private final long maxWaitNanos;
    private final long giveUpAfterNanos;
    private final LongSupplier nanoTime;
    private final Parker parker;

    /** When SQLite first reported the current lock busy. */
    private long waitingSinceNanos;

    ShortWaitBusyHandler(Duration firstWait, Duration maxWait, Duration giveUpAfter) {
        this(firstWait, maxWait, giveUpAfter, System::nanoTime, LockSupport::parkNanos);
    }

    ShortWaitBusyHandler(
            Duration firstWait, Duration maxWait, Duration giveUpAfter, LongSupplier nanoTime, Parker parker) {
        if (firstWait.isNegative() || firstWait.isZero() || maxWait.compareTo(firstWait) < 0) {
            throw new IllegalArgumentException("need 0 < firstWait <= maxWait, got " + firstWait + ", " + maxWait);
        }
        this.firstWaitNanos = firstWait.toNanos();
        this.maxWaitNanos = maxWait.toNanos();
        this.giveUpAfterNanos = giveUpAfter.toNanos();
        this.nanoTime = nanoTime;
        this.parker = parker;
    }

    /**
     * Called by SQLite each time it finds the database locked; {@code priorCalls} is 0 for the first
     * call of a wait. Returns non-zero to try again, 0 to fail the statement with SQLITE_BUSY.
     */
    @Override
    protected int callback(int priorCalls) {
        long now = nanoTime.getAsLong();
        if (priorCalls == 0) {
            waitingSinceNanos = now;
        }
        long left = giveUpAfterNanos - (now - waitingSinceNanos);
        if (left <= 0 || Thread.currentThread().isInterrupted()) {
            return 0;
        }
        parker.park(Math.min(waitBefore(priorCalls), left));
        return Thread.currentThread().isInterrupted() ? 0 : 1;
    }

    /** The wait before try {@code priorCalls + 1}: the first wait doubled per prior call, capped. */
    long waitBefore(int priorCalls) {
        long wait = firstWaitNanos;
        for (int i = 0; i < priorCalls && wait < maxWaitNanos; i++) {
            wait *= 2;
        }
        return Math.min(wait, maxWaitNanos);
    }
}
