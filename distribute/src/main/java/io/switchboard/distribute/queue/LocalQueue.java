package io.switchboard.distribute.queue;

import io.switchboard.distribute.dispatch.DispatchStats;
import io.switchboard.distribute.dispatch.Dispatcher;
import io.switchboard.distribute.dispatch.Task;
import io.switchboard.distribute.dispatch.TaskSpec;
import io.switchboard.distribute.dispatch.TaskView;
import io.switchboard.distribute.dispatch.WorkerView;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The embedded queue: the dispatcher's own, in this process. Every stage is already complete. */
public final class LocalQueue implements TaskQueue {

    private final Dispatcher dispatcher;

    public LocalQueue(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public CompletionStage<TaskView> submit(TaskSpec spec) {
        try {
            return CompletableFuture.completedFuture(dispatcher.view(dispatcher.submit(spec)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<Optional<TaskView>> find(String id) {
        return CompletableFuture.completedFuture(dispatcher.find(id).map(dispatcher::view));
    }

    @Override
    public CompletableFuture<TaskView> ended(String id) {
        // A copy: a waiter that gives up cancels its own future, never the task's.
        return dispatcher.find(id).map(task -> task.ended().copy()).orElseGet(CompletableFuture::new);
    }

    @Override
    public CompletionStage<Optional<TaskView>> cancel(String id) {
        Optional<Task> task = dispatcher.find(id);
        return CompletableFuture.completedFuture(task.flatMap(dispatcher::cancel));
    }

    @Override
    public CompletionStage<DispatchStats> stats() {
        return CompletableFuture.completedFuture(dispatcher.stats());
    }

    @Override
    public CompletionStage<List<WorkerView>> workers() {
        return CompletableFuture.completedFuture(dispatcher.workers());
    }
}
