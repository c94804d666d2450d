package io.switchboard.distribute.client;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A task's value together with what the server knows about its run.
 *
 * @param value what the function returned (may be null)
 * @param stdout what it printed to System.out (truncated by the server to 64 KiB), or ""
 * @param stderr what it printed to System.err (truncated likewise), or ""
 * @param worker the worker that ran it, or null
 * @param attempts how many times a worker started it (more than 1 after crashes or retried exceptions)
 * @param queueWait how long it waited for a worker (zero when the server did not say)
 * @param runTime how long the function ran (zero when the server did not say)
 * @param taskId the server's id of the task
 * @param <R> the value's type
 */
public record RemoteResult<R>(
        @Nullable R value,
        String stdout,
        String stderr,
        @Nullable String worker,
        int attempts,
        Duration queueWait,
        Duration runTime,
        String taskId) {}
