package io.switchboard.distribute.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The dispatcher's meters, registered once: queue size (current and peak), tasks by outcome,
 * queue-wait and run-time histograms, and per worker slot its state, tasks completed, busy seconds
 * and restarts. The per-worker task counts sum to the tasks that ended with a worker's answer.
 */
final class DispatchMetrics {

    private final MeterRegistry registry;
    private final Map<FailureKind, Counter> failed = new EnumMap<>(FailureKind.class);
    private final Counter succeeded;
    private final Counter retried;
    private final Timer queueWait;
    private final Timer runTime;
    private final Timer replacement;

    DispatchMetrics(MeterRegistry registry, IntSupplier queued, IntSupplier peak) {
        this.registry = registry;
        Gauge.builder("distribute.queue.tasks", queued::getAsInt)
                .description("Tasks waiting for an idle worker")
                .register(registry);
        Gauge.builder("distribute.queue.peak.tasks", peak::getAsInt)
                .description("Most tasks ever waiting at once since start")
                .register(registry);
        succeeded = outcome("succeeded");
        for (FailureKind kind : FailureKind.values()) {
            failed.put(kind, outcome(kind.name().toLowerCase(java.util.Locale.ROOT)));
        }
        retried = Counter.builder("distribute.task.retries")
                .description("Attempts started again after a worker crashed (or threw, when asked)")
                .register(registry);
        queueWait = Timer.builder("distribute.task.queue.wait")
                .description("Time from submission (or retry) to the start on a worker")
                .publishPercentileHistogram()
                .register(registry);
        runTime = Timer.builder("distribute.task.run")
                .description("Run time of one attempt as the worker measured it")
                .publishPercentileHistogram()
                .register(registry);
        replacement = Timer.builder("distribute.worker.replacement")
                .description("Time from losing a worker (crash, kill, timeout) to its replacement connecting")
                .publishPercentileHistogram()
                .register(registry);
    }

    void replaced(long nanos) {
        replacement.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter outcome(String outcome) {
        return Counter.builder("distribute.tasks")
                .description("Tasks that ended, by outcome (succeeded or the failure kind)")
                .tag("outcome", outcome)
                .register(registry);
    }

    void slotCreated(WorkerSlot slot) {
        Gauge.builder("distribute.worker.busy", slot, s -> s.state == WorkerState.BUSY ? 1 : 0)
                .description("1 while the worker runs a task")
                .tag("worker", slot.id)
                .register(registry);
        Gauge.builder(
                        "distribute.worker.up",
                        slot,
                        s -> s.state == WorkerState.IDLE || s.state == WorkerState.BUSY ? 1 : 0)
                .description("1 while the worker is connected")
                .tag("worker", slot.id)
                .register(registry);
        FunctionCounter.builder("distribute.worker.tasks", slot, s -> s.tasksCompleted.get())
                .description("Tasks this worker slot ran to an answer (a result or a user exception)")
                .tag("worker", slot.id)
                .register(registry);
        FunctionCounter.builder("distribute.worker.busy.seconds", slot, s -> s.busyNanos.get() / 1e9)
                .description("Time this worker slot spent running tasks")
                .tag("worker", slot.id)
                .register(registry);
        FunctionCounter.builder("distribute.worker.restarts", slot, s -> s.restarts.get())
                .description("Times this worker slot's process was replaced")
                .tag("worker", slot.id)
                .register(registry);
    }

    void succeeded() {
        succeeded.increment();
    }

    void failed(FailureKind kind) {
        Objects.requireNonNull(failed.get(kind), "the constructor makes a counter per kind")
                .increment();
    }

    void retried() {
        retried.increment();
    }

    void started(long queueWaitNanos) {
        queueWait.record(queueWaitNanos, TimeUnit.NANOSECONDS);
    }

    void ran(long runNanos) {
        runTime.record(runNanos, TimeUnit.NANOSECONDS);
    }
}
