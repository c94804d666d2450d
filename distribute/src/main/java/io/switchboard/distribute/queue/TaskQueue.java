package io.switchboard.distribute.queue;

import io.switchboard.distribute.dispatch.DispatchStats;
import io.switchboard.distribute.dispatch.TaskSpec;
import io.switchboard.distribute.dispatch.TaskView;
import io.switchboard.distribute.dispatch.WorkerView;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where accepted tasks wait and where their states are read: in this process ({@link LocalQueue},
 * the embedded default) or on NATS JetStream, shared by several {@code serve} instances and remote
 * workers. The HTTP endpoints speak only to this interface, so the same API, client and tests run
 * on both.
 *
 * <p>Every call answers with a stage: the local queue completes it at once, JetStream after a
 * round trip to the server, never blocking the caller's event loop.
 */
public interface TaskQueue {

    /**
     * Accepts a task.
     *
     * @return its first state; fails with {@code QueueFullException}, {@code NotAcceptingException} or
     *     {@link QueueUnavailableException}
     */
    CompletionStage<TaskView> submit(TaskSpec spec);

    /** The task's current state, or empty when unknown or expired. */
    CompletionStage<Optional<TaskView>> find(String id);

    /**
     * Completes with the task's final state once it ended. The caller cancels the future when it
     * stops waiting, which releases what the queue holds for it.
     */
    CompletableFuture<TaskView> ended(String id);

    /**
     * Cancels a task: a queued one never runs, a running one's worker is killed.
     *
     * @return the cancelled state, or empty when the task had already ended (or is unknown)
     */
    CompletionStage<Optional<TaskView>> cancel(String id);

    /** Queue length, workers and counts. */
    CompletionStage<DispatchStats> stats();

    /** Every worker slot this queue knows of. */
    CompletionStage<List<WorkerView>> workers();
}
