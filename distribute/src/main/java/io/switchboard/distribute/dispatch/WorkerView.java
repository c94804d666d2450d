package io.switchboard.distribute.dispatch;

/** One worker slot as {@code GET /distribute/workers} shows it. */
public record WorkerView(
        String id,
        WorkerState state,
        Long pid,
        String task,
        long tasksCompleted,
        double busySeconds,
        long restarts,
        boolean supervised,
        Language language) {}
