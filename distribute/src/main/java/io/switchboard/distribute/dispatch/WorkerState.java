package io.switchboard.distribute.dispatch;

/** A worker slot's state, as listed by {@code GET /distribute/workers}. */
public enum WorkerState {
    /** Its process is starting (or restarting) and has not connected yet. */
    STARTING,
    IDLE,
    BUSY,
    /** Gone for good: a remote worker that disconnected, or every worker after shutdown. */
    STOPPED
}
