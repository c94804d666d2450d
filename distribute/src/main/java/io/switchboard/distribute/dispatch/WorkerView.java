package io.switchboard.distribute.dispatch;

import org.jspecify.annotations.Nullable;

/**
 * One worker slot as {@code GET /distribute/workers} shows it.
 *
 * @param lastReplacementMillis time from the loss of the slot's previous worker to its replacement's connection, or -1
 */
public record WorkerView(
        String id,
        WorkerState state,
        @Nullable Long pid,
        @Nullable String task,
        long tasksCompleted,
        double busySeconds,
        long restarts,
        double lastReplacementMillis,
        boolean supervised,
        Language language) {}
