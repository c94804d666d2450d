package io.switchboard.distribute.dispatch;

/**
 * One worker slot as {@code GET /distribute/workers} shows it.
 *
 * @param lastReplacementMillis time from the loss of the slot's previous worker to its replacement's connection, or -1
 */
public record WorkerView(
        String id,
        WorkerState state,
        Long pid,
        String task,
        long tasksCompleted,
        double busySeconds,
        long restarts,
        double lastReplacementMillis,
        boolean supervised,
        Language language) {}
