package io.switchboard.distribute.dispatch;

/** Why a task did not succeed; clients branch on it, so the names are part of the API. */
public enum FailureKind {
    /** The function threw; not retried unless the task asked for it. */
    USER,
    /** The worker process died (killed, exited, out of memory) on every allowed attempt. */
    CRASH,
    /** The function ran past its timeout; its worker was killed and replaced. */
    TIMEOUT,
    /** A client cancelled it; a running task's worker was killed and replaced. */
    CANCELLED,
    /** The function could not be loaded or its result could not be sent back. */
    INVALID,
    /** The server stopped before the task could run. */
    SHUTDOWN
}
