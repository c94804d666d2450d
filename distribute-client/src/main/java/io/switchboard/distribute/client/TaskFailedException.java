package io.switchboard.distribute.client;

import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A task ended without a value. {@link #kind()} says why; for {@link Kind#USER} the cause is a
 * {@link RemoteException} carrying what the function threw on the worker, remote stack trace and
 * causes included.
 */
public class TaskFailedException extends RuntimeException {

    /** Why a task failed, as the server classifies it. */
    public enum Kind {
        /** The function threw. */
        USER,
        /** The worker process died while running it (after the retries). */
        CRASH,
        /** It ran longer than its timeout, and the worker was killed. */
        TIMEOUT,
        /** Someone cancelled it. */
        CANCELLED,
        /** The server could not run it: an unreadable payload, a missing class, a bad function name. */
        INVALID,
        /** The server shut down before it ended. */
        SHUTDOWN
    }

    private final Kind kind;
    private final String taskId;
    private final @Nullable Integer exitCode;
    private final @Nullable String worker;
    private final int attempts;
    private final String stdout;
    private final String stderr;

    /**
     * @param exitCode the worker's exit code (CRASH, TIMEOUT), or null when unknown
     * @param worker the last worker that ran it, or null
     * @param cause a {@link RemoteException} for USER (and some INVALID) failures, else null
     */
    public TaskFailedException(
            String message,
            Kind kind,
            String taskId,
            @Nullable Integer exitCode,
            @Nullable String worker,
            int attempts,
            String stdout,
            String stderr,
            @Nullable RemoteException cause) {
        super(message, cause);
        this.kind = kind;
        this.taskId = taskId;
        this.exitCode = exitCode;
        this.worker = worker;
        this.attempts = attempts;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public Kind kind() {
        return kind;
    }

    /** The server's id of the task. */
    public String taskId() {
        return taskId;
    }

    /** The worker's exit code for CRASH and TIMEOUT, when the server knows it. */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /** The last worker that ran the task, or null when none did. */
    public @Nullable String worker() {
        return worker;
    }

    /** How many times a worker started the task. */
    public int attempts() {
        return attempts;
    }

    /** What the function printed to System.out before failing (truncated by the server), or "". */
    public String stdout() {
        return stdout;
    }

    /** What the function printed to System.err before failing (truncated by the server), or "". */
    public String stderr() {
        return stderr;
    }

    /** The remote exception for USER failures, else null. */
    public @Nullable RemoteException remoteException() {
        return getCause() instanceof RemoteException remote ? remote : null;
    }
}
