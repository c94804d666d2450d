package io.switchboard.distribute.dispatch;

/** Counts for {@code GET /distribute/stats}; {@code queuedTasks} and {@code workers} are the seed's fields. */
public record DispatchStats(
        int queuedTasks,
        int peakQueuedTasks,
        int workers,
        int idleWorkers,
        int busyWorkers,
        int runningTasks,
        long submitted,
        long succeeded,
        long failed,
        long cancelled) {}
