package io.switchboard.distribute.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * One submitted task. Its mutable fields change only under the {@link Dispatcher}'s lock; readers
 * take a {@link #view()} there too, or wait on {@link #ended()}.
 */
public final class Task {

    private final String id;
    private final TaskSpec spec;
    private final Instant submittedAt;
    private final CompletableFuture<TaskView> ended = new CompletableFuture<>();

    TaskState state = TaskState.QUEUED;
    int attempts;

    @Nullable
    String worker;

    long enqueuedNanos;
    long queueWaitNanos = -1;
    long startedNanos;
    long runNanos = -1;

    @Nullable
    JsonNode result;

    @Nullable
    String resultEncoding;

    @Nullable
    String stdout;

    @Nullable
    String stderr;

    @Nullable
    TaskError error;

    @Nullable
    ScheduledFuture<?> timeout;

    Task(String id, TaskSpec spec, Instant submittedAt, long nowNanos) {
        this.id = id;
        this.spec = spec;
        this.submittedAt = submittedAt;
        this.enqueuedNanos = nowNanos;
    }

    public String id() {
        return id;
    }

    public TaskSpec spec() {
        return spec;
    }

    /** Completes with the final snapshot once the task succeeded, failed or was cancelled. */
    public CompletableFuture<TaskView> ended() {
        return ended;
    }

    /** Call under the dispatcher's lock. */
    TaskView view() {
        return new TaskView(
                id,
                state,
                spec.function(),
                attempts,
                worker,
                submittedAt,
                queueWaitNanos,
                runNanos,
                result,
                resultEncoding,
                stdout,
                stderr,
                error);
    }

    void addQueueWait(long nanos) {
        queueWaitNanos = Math.max(0, queueWaitNanos) + nanos;
    }
}
