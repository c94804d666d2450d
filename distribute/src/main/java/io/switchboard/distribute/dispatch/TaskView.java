package io.switchboard.distribute.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of a task, taken under the dispatcher's lock, for answers and tests.
 *
 * @param queueWaitNanos time spent queued over all attempts, or -1 before the first start
 * @param runNanos run time of the last attempt as the worker measured it, or -1 until known
 */
public record TaskView(
        String id,
        TaskState state,
        String function,
        int attempts,
        @Nullable String worker,
        Instant submittedAt,
        long queueWaitNanos,
        long runNanos,
        @Nullable JsonNode result,
        @Nullable String resultEncoding,
        @Nullable String stdout,
        @Nullable String stderr,
        @Nullable TaskError error) {}
