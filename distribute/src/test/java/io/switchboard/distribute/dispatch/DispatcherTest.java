package io.switchboard.distribute.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher's rules, with in-memory workers that record what they were sent. */
class DispatcherTest {

    private final AtomicLong nanos = new AtomicLong();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final Dispatcher dispatcher =
            new Dispatcher(3, Duration.ofMinutes(1), Clock.systemUTC(), nanos::get, timers, new SimpleMeterRegistry());

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    /** A worker that remembers the tasks it got and whether it was killed. */
    static final class FakeWorker implements WorkerChannel {
        final String id;
        final List<Task> received = new ArrayList<>();
        final List<Integer> attempts = new ArrayList<>();
        boolean killed;

        FakeWorker(String id) {
            this.id = id;
        }

        @Override
        public String workerId() {
            return id;
        }

        @Override
        public void send(Task task, int attempt) {
            received.add(task);
            attempts.add(attempt);
        }

        @Override
        public void kill(String reason) {
            killed = true;
        }
    }

    private static TaskSpec spec(int maxRetries) {
        return new TaskSpec("noop", null, null, null, Duration.ofMinutes(1), maxRetries, false);
    }

    private FakeWorker connect(String id) {
        FakeWorker worker = new FakeWorker(id);
        dispatcher.workerStarting(id, true, Language.JAVA, 1L);
        dispatcher.workerConnected(worker, 1L);
        return worker;
    }

    private static TaskResult ok(int value) {
        return new TaskResult(IntNode.valueOf(value), "json", null, "", "", 1_000);
    }

    @Test
    void aTaskGoesOnlyToAnIdleWorkerAndWaitsWhileAllAreBusy() {
        FakeWorker worker = connect("w-1");
        Task first = dispatcher.submit(spec(0));
        Task second = dispatcher.submit(spec(0));

        assertThat(worker.received).containsExactly(first);
        assertThat(dispatcher.view(second).state()).isEqualTo(TaskState.QUEUED);

        dispatcher.resultArrived(worker, first.id(), 1, ok(1));

        assertThat(worker.received).containsExactly(first, second);
        assertThat(first.ended()).isCompletedWithValueMatching(v -> v.state() == TaskState.SUCCEEDED);
    }

    @Test
    void theMostRecentlyIdleWorkerGetsTheNextTask() {
        FakeWorker one = connect("w-1");
        FakeWorker two = connect("w-2");

        Task a = dispatcher.submit(spec(0));
        dispatcher.resultArrived(two, a.id(), 1, ok(1));
        Task b = dispatcher.submit(spec(0));
        Task c = dispatcher.submit(spec(0));

        assertThat(two.received).containsExactly(a, b);
        assertThat(one.received).containsExactly(c);
    }

    @Test
    void aCrashedAttemptGoesBackToTheHeadOfTheQueue() {
        FakeWorker one = connect("w-1");
        Task running = dispatcher.submit(spec(1));
        Task waiting = dispatcher.submit(spec(1));

        dispatcher.workerLost("w-1", null, 137);
        FakeWorker replacement = new FakeWorker("w-1");
        dispatcher.workerStarting("w-1", true, Language.JAVA, 2L);
        dispatcher.workerConnected(replacement, 2L);

        assertThat(replacement.received).containsExactly(running);
        assertThat(replacement.attempts).containsExactly(2);
        assertThat(dispatcher.view(waiting).state()).isEqualTo(TaskState.QUEUED);
        assertThat(dispatcher.workers())
                .singleElement()
                .satisfies(w -> assertThat(w.restarts()).isEqualTo(1));
        assertThat(one.received).containsExactly(running);
    }

    @Test
    void aTaskWhoseRetriesAreSpentFailsWithCrashAndTheExitCode() {
        connect("w-1");
        Task task = dispatcher.submit(spec(0));

        dispatcher.workerLost("w-1", null, 137);

        TaskView view = task.ended().join();
        assertThat(view.state()).isEqualTo(TaskState.FAILED);
        assertThat(view.error().kind()).isEqualTo(FailureKind.CRASH);
        assertThat(view.error().exitCode()).isEqualTo(137);
        assertThat(view.error().message())
                .isEqualTo("worker w-1 was killed (exit code 137, SIGKILL: likely out of"
                        + " memory or killed by an operator) on attempt 1 of 1");
    }

    @Test
    void aUserExceptionFailsAtOnceUnlessTheTaskAsksForRetries() {
        FakeWorker worker = connect("w-1");
        TaskError thrown = TaskError.of(FailureKind.USER, "boom");
        Task once = dispatcher.submit(spec(3));
        dispatcher.resultArrived(worker, once.id(), 1, new TaskResult(null, null, thrown, "", "", 1));
        assertThat(once.ended().join().error().kind()).isEqualTo(FailureKind.USER);

        Task retried = dispatcher.submit(new TaskSpec("noop", null, null, null, Duration.ofMinutes(1), 1, true));
        dispatcher.resultArrived(worker, retried.id(), 1, new TaskResult(null, null, thrown, "", "", 1));
        assertThat(dispatcher.view(retried).state()).isEqualTo(TaskState.RUNNING);
        assertThat(dispatcher.view(retried).attempts()).isEqualTo(2);
        dispatcher.resultArrived(worker, retried.id(), 2, new TaskResult(null, null, thrown, "", "", 1));
        assertThat(retried.ended().join().state()).isEqualTo(TaskState.FAILED);
    }

    @Test
    void aFullQueueRefusesSubmissions() {
        for (int i = 0; i < 3; i++) {
            dispatcher.submit(spec(0));
        }

        assertThatThrownBy(() -> dispatcher.submit(spec(0)))
                .isInstanceOf(QueueFullException.class)
                .hasMessage("the queue holds its capacity of 3 tasks; retry shortly");
        assertThat(dispatcher.stats().peakQueuedTasks()).isEqualTo(3);
    }

    @Test
    void cancellingARunningTaskKillsItsWorkerAndItsLateResultIsIgnored() {
        FakeWorker worker = connect("w-1");
        Task task = dispatcher.submit(spec(0));

        assertThat(dispatcher.cancel(task))
                .hasValueSatisfying(v -> assertThat(v.state()).isEqualTo(TaskState.CANCELLED));
        dispatcher.resultArrived(worker, task.id(), 1, ok(1));

        assertThat(worker.killed).isTrue();
        assertThat(task.ended().join().state()).isEqualTo(TaskState.CANCELLED);
        assertThat(dispatcher.cancel(task)).isEmpty();
        assertThat(dispatcher.stats().runningTasks()).isZero();
    }

    @Test
    void cancellingAQueuedTaskTakesItOutOfTheQueue() {
        Task task = dispatcher.submit(spec(0));

        dispatcher.cancel(task);
        FakeWorker worker = connect("w-1");

        assertThat(worker.received).isEmpty();
        assertThat(dispatcher.stats().queuedTasks()).isZero();
    }

    @Test
    void aTimedOutTaskFailsAndItsWorkerIsKilled() {
        FakeWorker worker = connect("w-1");
        Task task = dispatcher.submit(new TaskSpec("sleep", null, null, null, Duration.ofMillis(50), 3, false));

        TaskView view = task.ended().join();

        assertThat(view.error().kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(view.attempts()).isEqualTo(1);
        assertThat(worker.killed).isTrue();
    }

    @Test
    void stoppingFailsQueuedTasksAndRefusesNewOnes() {
        Task queued = dispatcher.submit(spec(0));

        dispatcher.stopAccepting();

        assertThat(queued.ended().join().error().kind()).isEqualTo(FailureKind.SHUTDOWN);
        assertThatThrownBy(() -> dispatcher.submit(spec(0))).isInstanceOf(NotAcceptingException.class);
    }

    @Test
    void perWorkerCountsSumToTheAnsweredTasks() {
        FakeWorker one = connect("w-1");
        FakeWorker two = connect("w-2");
        for (int i = 0; i < 4; i++) {
            Task a = dispatcher.submit(spec(0));
            Task b = dispatcher.submit(spec(0));
            for (Task task : List.of(a, b)) {
                FakeWorker runner = one.received.contains(task) ? one : two;
                dispatcher.resultArrived(runner, task.id(), 1, ok(i));
            }
        }

        assertThat(dispatcher.workers()).extracting(WorkerView::tasksCompleted).containsExactly(4L, 4L);
        assertThat(dispatcher.stats().succeeded()).isEqualTo(8);
    }
}
