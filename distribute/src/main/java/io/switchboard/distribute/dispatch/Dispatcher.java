package io.switchboard.distribute.dispatch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands queued tasks to idle workers, one task per worker at a time, and decides what happens when
 * an attempt ends: success, a user exception, a crash (retried at the head of the queue up to the
 * task's limit), a timeout or a cancellation (the worker is killed and replaced).
 *
 * <p><b>No prefetch.</b> A task goes only to a worker that is idle now. Workers never hold a local
 * backlog, so a task never waits behind a slow one while another worker is idle; the price is one
 * link round trip between tasks, tens of microseconds on loopback.
 *
 * <p><b>Concurrency.</b> One lock guards every task and worker slot. Each event (submit, result,
 * worker lost, timeout, cancel) holds it for a few field updates and at most one frame written per
 * idle worker; futures of ended tasks complete after the lock is released, so waiters' callbacks
 * never run under it. A single lock keeps the invariants (a task is in the queue xor on one worker;
 * an idle worker has no task) easy to check, and it is far from the bottleneck: the link and HTTP
 * cost microseconds per task, the critical section nanoseconds.
 *
 * <p><b>Memory.</b> The queue is bounded (beyond it {@link QueueFullException}); ended tasks stay
 * readable for a retention period, bounded in number, then expire.
 */
// queued changes only under the lock; it is volatile so that the metrics gauge reads it without.
@SuppressWarnings("NonAtomicVolatileUpdate")
public final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    /** Ended tasks kept readable at most; the oldest expire first beyond it. */
    private static final long MAX_ENDED_TASKS = 200_000;

    private final int capacity;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService timers;
    private final DispatchMetrics metrics;
    private final WorkerAvailability availability;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition nothingRunning = lock.newCondition();
    /** One queue per language; the capacity bounds their sum. */
    private final Map<Language, Deque<Task>> queues = new EnumMap<>(Language.class);

    private final Map<String, Task> active = new HashMap<>();
    private final Cache<String, Task> endedTasks;
    private final Map<String, WorkerSlot> slots = new LinkedHashMap<>();
    private final Map<Language, Deque<WorkerSlot>> idle = new EnumMap<>(Language.class);
    private volatile int queued;
    private volatile int peakQueued;
    private int running;
    private long submitted;
    private long succeeded;
    private long failed;
    private long cancelled;
    private boolean accepting = true;

    /**
     * @param capacity tasks the queue holds before submissions are refused
     * @param retention how long an ended task stays readable
     * @param timers runs task timeouts; the dispatcher does not own it
     */
    public Dispatcher(
            int capacity,
            Duration retention,
            Clock clock,
            LongSupplier nanoTime,
            ScheduledExecutorService timers,
            MeterRegistry registry) {
        this(capacity, retention, clock, nanoTime, timers, registry, WorkerAvailability.NONE);
    }

    /**
     * @param availability told when workers become free or leave; a queue outside this process
     *     pulls tasks by it
     */
    public Dispatcher(
            int capacity,
            Duration retention,
            Clock clock,
            LongSupplier nanoTime,
            ScheduledExecutorService timers,
            MeterRegistry registry,
            WorkerAvailability availability) {
        this.availability = availability;
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.timers = timers;
        this.endedTasks = Caffeine.newBuilder()
                .expireAfterWrite(retention)
                .maximumSize(MAX_ENDED_TASKS)
                .build();
        this.metrics = new DispatchMetrics(registry, () -> queued, () -> peakQueued);
        for (Language language : Language.values()) {
            queues.put(language, new ArrayDeque<>());
            idle.put(language, new ArrayDeque<>());
        }
    }

    // ---- clients ------------------------------------------------------------------------------

    /**
     * Queues a task, or starts it at once on an idle worker.
     *
     * @throws QueueFullException when the queue holds its capacity
     * @throws NotAcceptingException while shutting down
     */
    public Task submit(TaskSpec spec) {
        return submit(UUID.randomUUID().toString(), clock.instant(), spec, 0);
    }

    /**
     * Queues a task accepted elsewhere (by a queue outside this process) under its own id.
     *
     * @param priorAttempts attempts already spent on it elsewhere; they count against its retries
     */
    public Task submit(String id, Instant submittedAt, TaskSpec spec, int priorAttempts) {
        List<Runnable> after = new ArrayList<>();
        Task task;
        lock.lock();
        try {
            if (!accepting) {
                throw new NotAcceptingException();
            }
            if (queued >= capacity) {
                throw new QueueFullException(capacity);
            }
            task = new Task(id, spec, submittedAt, nanoTime.getAsLong());
            task.attempts = priorAttempts;
            active.put(task.id(), task);
            submitted++;
            enqueue(task, false);
            dispatch(after);
        } finally {
            lock.unlock();
        }
        after.forEach(Runnable::run);
        return task;
    }

    /** The task with this id, active or ended within the retention period. */
    public Optional<Task> find(String id) {
        lock.lock();
        try {
            Task task = active.get(id);
            return Optional.ofNullable(task != null ? task : endedTasks.getIfPresent(id));
        } finally {
            lock.unlock();
        }
    }

    /** A consistent snapshot of the task. */
    public TaskView view(Task task) {
        lock.lock();
        try {
            return task.view();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Cancels a task: a queued one leaves the queue, a running one's worker is killed.
     *
     * @return the snapshot after cancelling, or empty if the task had already ended
     */
    public Optional<TaskView> cancel(Task task) {
        List<Runnable> after = new ArrayList<>();
        TaskView view;
        lock.lock();
        try {
            if (task.state.ended()) {
                return Optional.empty();
            }
            if (task.state == TaskState.QUEUED) {
                queueOf(task.spec().language()).remove(task);
                queued--;
            } else {
                WorkerSlot slot = slotRunning(task);
                if (slot != null) {
                    releaseByKill(slot, "task " + task.id() + " cancelled", after);
                }
            }
            end(task, TaskState.CANCELLED, TaskError.of(FailureKind.CANCELLED, "cancelled by a client"), after);
            view = task.view();
        } finally {
            lock.unlock();
        }
        after.forEach(Runnable::run);
        return Optional.of(view);
    }

    // ---- workers ------------------------------------------------------------------------------

    /** Declares a slot whose process is starting; supervised slots are restarted by their supervisor. */
    public void workerStarting(String workerId, boolean supervised, Language language, @Nullable Long pid) {
        lock.lock();
        try {
            WorkerSlot slot = slots.get(workerId);
            if (slot == null) {
                slot = new WorkerSlot(workerId, supervised, language);
                slots.put(workerId, slot);
                metrics.slotCreated(slot);
            } else {
                slot.restarts.incrementAndGet();
            }
            slot.state = WorkerState.STARTING;
            slot.pid = pid;
        } finally {
            lock.unlock();
        }
    }

    /** A worker connected and is idle; it gets the head of the queue at once if there is one. */
    public void workerConnected(WorkerChannel channel, @Nullable Long pid) {
        List<Runnable> after = new ArrayList<>();
        lock.lock();
        try {
            WorkerSlot slot = slots.get(channel.workerId());
            if (slot == null) {
                slot = new WorkerSlot(channel.workerId(), false, channel.language());
                slots.put(slot.id, slot);
                metrics.slotCreated(slot);
            } else if (slot.channel != null) {
                // Two processes claim one slot: keep the first, end the newcomer.
                after.add(() -> channel.kill("worker id " + channel.workerId() + " is already connected"));
                return;
            }
            slot.channel = channel;
            if (pid != null) {
                slot.pid = pid;
            }
            if (slot.lostAtNanos >= 0) {
                long gap = nanoTime.getAsLong() - slot.lostAtNanos;
                slot.lastReplacementNanos = gap;
                slot.lostAtNanos = -1;
                metrics.replaced(gap);
            }
            becomeIdle(slot);
            dispatch(after);
            announceIfIdle(slot, after);
        } finally {
            lock.unlock();
            after.forEach(Runnable::run);
        }
    }

    /** A worker answered an attempt; stale answers (of a killed attempt) are ignored. */
    // A channel is one connection: identity tells a late message of an old connection apart.
    @SuppressWarnings("ReferenceEquality")
    public void resultArrived(WorkerChannel channel, String taskId, int attempt, TaskResult result) {
        List<Runnable> after = new ArrayList<>();
        lock.lock();
        try {
            WorkerSlot slot = slots.get(channel.workerId());
            if (slot == null || slot.channel != channel || slot.task == null) {
                return;
            }
            Task task = slot.task;
            if (!task.id().equals(taskId) || slot.attempt != attempt) {
                log.atWarn()
                        .addKeyValue("worker", slot.id)
                        .addKeyValue("task", taskId)
                        .log("ignoring a result for a task the worker is not running");
                return;
            }
            long now = nanoTime.getAsLong();
            slot.busyNanos.addAndGet(now - slot.busySinceNanos);
            slot.tasksCompleted.incrementAndGet();
            slot.task = null;
            running--;
            cancelTimeout(task);
            task.runNanos = result.runNanos();
            task.stdout = result.stdout();
            task.stderr = result.stderr();
            metrics.ran(result.runNanos());
            TaskError error = result.error();
            if (error == null) {
                task.result = result.value();
                task.resultEncoding = result.encoding();
                end(task, TaskState.SUCCEEDED, null, after);
            } else if (error.kind() == FailureKind.USER
                    && task.spec().retryExceptions()
                    && task.attempts <= task.spec().maxRetries()) {
                metrics.retried();
                enqueue(task, true);
            } else {
                end(task, TaskState.FAILED, error, after);
            }
            becomeIdle(slot);
            dispatch(after);
            announceIfIdle(slot, after);
        } finally {
            lock.unlock();
        }
        after.forEach(Runnable::run);
    }

    /**
     * A worker's link closed or its process exited. Its attempt, if any, goes back to the head of
     * the queue, or fails with {@link FailureKind#CRASH} once the task's retries are spent.
     *
     * @param exitCode the process's exit code when known (137 = SIGKILL), else null
     */
    // A channel is one connection: identity tells a late message of an old connection apart.
    @SuppressWarnings("ReferenceEquality")
    public void workerLost(String workerId, @Nullable WorkerChannel channel, @Nullable Integer exitCode) {
        List<Runnable> after = new ArrayList<>();
        lock.lock();
        try {
            WorkerSlot slot = slots.get(workerId);
            if (slot == null || (channel != null && slot.channel != channel)) {
                return;
            }
            if (idleOf(slot.language).remove(slot)) {
                Language language = slot.language;
                after.add(() -> availability.gone(language));
            }
            slot.channel = null;
            if (slot.lostAtNanos < 0) {
                slot.lostAtNanos = nanoTime.getAsLong();
            }
            slot.state = slot.supervised && accepting ? WorkerState.STARTING : WorkerState.STOPPED;
            Task task = slot.task;
            if (task != null) {
                slot.busyNanos.addAndGet(nanoTime.getAsLong() - slot.busySinceNanos);
                slot.task = null;
                running--;
                cancelTimeout(task);
                String how = describeExit(exitCode);
                if (task.attempts <= task.spec().maxRetries() && accepting) {
                    log.atWarn()
                            .addKeyValue("worker", workerId)
                            .addKeyValue("task", task.id())
                            .addKeyValue("attempt", task.attempts)
                            .log("worker {} {} while running a task; retrying it first", workerId, how);
                    metrics.retried();
                    enqueue(task, true);
                    dispatch(after);
                } else {
                    String message = "worker " + workerId + " " + how + " on attempt " + task.attempts + " of "
                            + (task.spec().maxRetries() + 1);
                    end(task, TaskState.FAILED, new TaskError(FailureKind.CRASH, message, exitCode, null), after);
                }
            }
            if (running == 0) {
                nothingRunning.signalAll();
            }
        } finally {
            lock.unlock();
        }
        after.forEach(Runnable::run);
    }

    static String describeExit(@Nullable Integer exitCode) {
        if (exitCode == null) {
            return "disconnected";
        }
        if (exitCode == 137) {
            return "was killed (exit code 137, SIGKILL: likely out of memory or killed by an operator)";
        }
        if (exitCode == 3) {
            return "ran out of memory (exit code 3)";
        }
        if (exitCode > 128) {
            return "was killed by signal " + (exitCode - 128) + " (exit code " + exitCode + ")";
        }
        return "exited with code " + exitCode;
    }

    // ---- shutdown -----------------------------------------------------------------------------

    /** Refuses new tasks from now on and fails the queued ones with {@link FailureKind#SHUTDOWN}. */
    public void stopAccepting() {
        List<Runnable> after = new ArrayList<>();
        lock.lock();
        try {
            accepting = false;
            for (Deque<Task> queue : queues.values()) {
                Task task;
                while ((task = queue.pollFirst()) != null) {
                    end(
                            task,
                            TaskState.FAILED,
                            TaskError.of(FailureKind.SHUTDOWN, "the server stopped before the task ran"),
                            after);
                }
            }
            queued = 0;
        } finally {
            lock.unlock();
        }
        after.forEach(Runnable::run);
    }

    /** Waits until no task runs, at most {@code timeout}; true if none runs. */
    public boolean awaitNothingRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (running > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                nothingRunning.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ---- monitoring ---------------------------------------------------------------------------

    public DispatchStats stats() {
        lock.lock();
        try {
            int connected = 0;
            for (WorkerSlot slot : slots.values()) {
                if (slot.state == WorkerState.IDLE || slot.state == WorkerState.BUSY) {
                    connected++;
                }
            }
            int idleCount = 0;
            for (Deque<WorkerSlot> waiting : idle.values()) {
                idleCount += waiting.size();
            }
            return new DispatchStats(
                    queued,
                    peakQueued,
                    connected,
                    idleCount,
                    running,
                    running,
                    submitted,
                    succeeded,
                    failed,
                    cancelled);
        } finally {
            lock.unlock();
        }
    }

    public List<WorkerView> workers() {
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            return slots.values().stream().map(slot -> slot.view(now)).toList();
        } finally {
            lock.unlock();
        }
    }

    // ---- under the lock -----------------------------------------------------------------------

    private void enqueue(Task task, boolean first) {
        task.state = TaskState.QUEUED;
        task.enqueuedNanos = nanoTime.getAsLong();
        Deque<Task> queue = queueOf(task.spec().language());
        if (first) {
            queue.addFirst(task);
        } else {
            queue.addLast(task);
        }
        queued++;
        if (queued > peakQueued) {
            peakQueued = queued;
        }
    }

    /**
     * Pairs idle workers with queued tasks of their language, head of the queue first, and the most
     * recently idle worker first: its JIT-compiled code, caches and loaded bundles are the warmest,
     * so a light load stays on few hot workers and answers faster. Under load every worker is busy
     * and the order does not matter.
     */
    private void dispatch(List<Runnable> after) {
        for (Language language : Language.values()) {
            dispatch(queueOf(language), idleOf(language), after);
        }
    }

    private void dispatch(Deque<Task> queue, Deque<WorkerSlot> waiting, List<Runnable> after) {
        while (!queue.isEmpty() && !waiting.isEmpty()) {
            WorkerSlot slot = waiting.pollLast();
            Task task = queue.pollFirst();
            queued--;
            long now = nanoTime.getAsLong();
            long waited = now - task.enqueuedNanos;
            task.addQueueWait(waited);
            metrics.started(waited);
            task.state = TaskState.RUNNING;
            task.attempts++;
            task.worker = slot.id;
            task.startedNanos = now;
            slot.task = task;
            slot.attempt = task.attempts;
            slot.state = WorkerState.BUSY;
            slot.busySinceNanos = now;
            running++;
            scheduleTimeout(task, task.attempts);
            WorkerChannel channel = Objects.requireNonNull(slot.channel, "an idle slot has a connected channel");
            int attempt = task.attempts;
            // Written after the lock is released: a write never waits on a slow socket under it.
            after.add(() -> channel.send(task, attempt));
        }
    }

    private void becomeIdle(WorkerSlot slot) {
        slot.state = WorkerState.IDLE;
        idleOf(slot.language).addLast(slot);

        if (running == 0) {
            nothingRunning.signalAll();
        }
    }

    /** Tells the availability listener about a slot still idle after the local queue had its turn. */
    private void announceIfIdle(WorkerSlot slot, List<Runnable> after) {
        if (slot.state == WorkerState.IDLE) {
            Language language = slot.language;
            after.add(() -> availability.idle(language));
        }
    }

    private @Nullable WorkerSlot slotRunning(Task task) {
        for (WorkerSlot slot : slots.values()) {
            if (slot.task == task) {
                return slot;
            }
        }
        return null;
    }

    /** Takes the task off a worker that is about to be killed; the kill happens after unlocking. */
    private void releaseByKill(WorkerSlot slot, String reason, List<Runnable> after) {
        slot.busyNanos.addAndGet(nanoTime.getAsLong() - slot.busySinceNanos);
        cancelTimeout(Objects.requireNonNull(slot.task, "only a slot running a task is released"));
        slot.task = null;
        running--;
        idleOf(slot.language).remove(slot);
        WorkerChannel channel = slot.channel;
        slot.channel = null;
        slot.lostAtNanos = nanoTime.getAsLong();
        slot.state = slot.supervised ? WorkerState.STARTING : WorkerState.STOPPED;
        if (channel != null) {
            after.add(() -> channel.kill(reason));
        }
        if (running == 0) {
            nothingRunning.signalAll();
        }
    }

    /** The queue of {@code language}; the constructor made one for every language. */
    private Deque<Task> queueOf(Language language) {
        return Objects.requireNonNull(queues.get(language), "the constructor makes a queue per language");
    }

    /** The idle slots of {@code language}; the constructor made a deque for every language. */
    private Deque<WorkerSlot> idleOf(Language language) {
        return Objects.requireNonNull(idle.get(language), "the constructor makes an idle deque per language");
    }

    private void scheduleTimeout(Task task, int attempt) {
        long millis = task.spec().timeout().toMillis();
        task.timeout = timers.schedule(() -> timeoutFired(task, attempt), millis, TimeUnit.MILLISECONDS);
    }

    private void cancelTimeout(Task task) {
        if (task.timeout != null) {
            task.timeout.cancel(false);
            task.timeout = null;
        }
    }

    private void timeoutFired(Task task, int attempt) {
        List<Runnable> after = new ArrayList<>();
        lock.lock();
        try {
            if (task.state != TaskState.RUNNING || task.attempts != attempt) {
                return;
            }
            WorkerSlot slot = slotRunning(task);
            String message = "ran longer than its timeout of "
                    + task.spec().timeout().toMillis() + " ms; its worker was killed and replaced";
            if (slot != null) {
                releaseByKill(slot, "task " + task.id() + " timed out", after);
            }
            task.runNanos = nanoTime.getAsLong() - task.startedNanos;
            end(task, TaskState.FAILED, TaskError.of(FailureKind.TIMEOUT, message), after);
        } finally {
            lock.unlock();
        }
        after.forEach(Runnable::run);
    }

    private void end(Task task, TaskState state, @Nullable TaskError error, List<Runnable> after) {
        task.state = state;
        task.error = error;
        active.remove(task.id());
        endedTasks.put(task.id(), task);
        switch (state) {
            case SUCCEEDED -> {
                succeeded++;
                metrics.succeeded();
            }
            case CANCELLED -> {
                cancelled++;
                metrics.failed(FailureKind.CANCELLED);
            }
            default -> {
                failed++;
                metrics.failed(Objects.requireNonNull(error, "a failed task ends with its error")
                        .kind());
            }
        }
        TaskView view = task.view();
        after.add(() -> task.ended().complete(view));
    }
}
