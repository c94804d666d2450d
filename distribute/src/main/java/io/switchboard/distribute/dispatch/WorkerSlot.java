package io.switchboard.distribute.dispatch;

import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One worker slot: a place for one worker process, which keeps its id and its counters across
 * restarts so that per-worker allocation reads as one series. Mutable under the dispatcher's lock;
 * the counters are atomics so metrics read them without the lock.
 */
final class WorkerSlot {

    final String id;
    final boolean supervised;
    final Language language;
    final AtomicLong tasksCompleted = new AtomicLong();
    final AtomicLong busyNanos = new AtomicLong();
    final AtomicLong restarts = new AtomicLong();
    volatile WorkerState state = WorkerState.STARTING;

    @Nullable
    Long pid;

    @Nullable
    WorkerChannel channel;

    @Nullable
    Task task;

    int attempt;
    long busySinceNanos;
    /** When the slot lost its worker, or -1: a replacement's connection measures the gap. */
    long lostAtNanos = -1;

    volatile long lastReplacementNanos = -1;

    WorkerSlot(String id, boolean supervised, Language language) {
        this.id = id;
        this.supervised = supervised;
        this.language = language;
    }

    WorkerView view(long nowNanos) {
        long busy = busyNanos.get() + (state == WorkerState.BUSY ? nowNanos - busySinceNanos : 0);
        return new WorkerView(
                id,
                state,
                pid,
                task == null ? null : task.id(),
                tasksCompleted.get(),
                busy / 1e9,
                restarts.get(),
                lastReplacementNanos < 0 ? -1 : lastReplacementNanos / 1e6,
                supervised,
                language);
    }
}
