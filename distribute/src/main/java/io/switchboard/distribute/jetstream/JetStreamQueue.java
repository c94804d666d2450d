package io.switchboard.distribute.jetstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.MessageInfo;
import io.switchboard.distribute.dispatch.DispatchStats;
import io.switchboard.distribute.dispatch.Dispatcher;
import io.switchboard.distribute.dispatch.FailureKind;
import io.switchboard.distribute.dispatch.Language;
import io.switchboard.distribute.dispatch.QueueFullException;
import io.switchboard.distribute.dispatch.TaskError;
import io.switchboard.distribute.dispatch.TaskSpec;
import io.switchboard.distribute.dispatch.TaskState;
import io.switchboard.distribute.dispatch.TaskView;
import io.switchboard.distribute.dispatch.WorkerState;
import io.switchboard.distribute.dispatch.WorkerView;
import io.switchboard.distribute.json.TaskJson;
import io.switchboard.distribute.queue.QueueUnavailableException;
import io.switchboard.distribute.queue.TaskQueue;
import io.switchboard.distribute.queue.TaskTooLargeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task queue on NATS JetStream, as one {@code serve} instance sees it: it accepts tasks into the
 * shared stream, reads states from the shared bucket, and wakes its waiting clients when any node
 * announces a task's end. Running tasks is the {@link JetStreamPump}'s job, on whichever node.
 *
 * <p>Accepting a task is one write: the task into the stream, on a subject of its own (its publish
 * ack is the promise that it will run). That message is the task's {@code QUEUED} state: a read
 * looks in the state bucket first and, when the task has no state there yet (or any more, for a
 * task queued longer than the retention), for the message in the stream. The waiter of a task
 * accepted here listens for its end before publishing it, so waiting costs no read either.
 * Blocking client calls run on virtual threads, never on the caller's event loop.
 */
public final class JetStreamQueue implements TaskQueue, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JetStreamQueue.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** JetStream's error code for a message looked up by subject that is not in the stream. */
    private static final int NO_MESSAGE = 10037;

    /** JetStream's error code for a stream at its message limit with discard-new. */
    private static final int STREAM_FULL = 10077;

    private final JetStreamLink link;
    private final Dispatcher local;
    private final String node;
    private final Clock clock;
    private final int capacity;
    private final NodeRegistry registry;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final TaskEnds ends;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong peakQueued = new AtomicLong();
    private final AtomicLong sharedQueued = new AtomicLong();
    private final AtomicLong sharedRunning = new AtomicLong();
    private volatile List<WorkerView> otherNodes = List.of();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("distribute-jetstream-sampler").daemon().factory());

    /**
     * @param local this instance's dispatcher, whose workers are listed live
     * @param node this instance's node id in worker listings
     */
    public JetStreamQueue(
            JetStreamLink link, Dispatcher local, String node, Clock clock, int capacity, MeterRegistry registry) {
        this.link = link;
        this.local = local;
        this.node = node;
        this.clock = clock;
        this.capacity = capacity;
        this.registry = new NodeRegistry(link);
        this.ends = link.ends();
        ends.listen();
        // The shared queue's length for metrics and the dashboard, read once a second: a scrape
        // never waits on NATS.
        Gauge.builder("distribute.shared.queue.tasks", sharedQueued::get)
                .description("Tasks waiting in the JetStream queue shared by every instance (read once a second)")
                .register(registry);
        Gauge.builder("distribute.shared.queue.peak.tasks", peakQueued::get)
                .description("Most tasks seen waiting in the shared JetStream queue since this instance started")
                .register(registry);
        Gauge.builder("distribute.shared.running.tasks", sharedRunning::get)
                .description("Tasks taken from the JetStream queue by some node and not yet ended")
                .register(registry);
        var _ = sampler.scheduleWithFixedDelay(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    private void sample() {
        try {
            readConsumers();
            otherNodes = List.copyOf(registry.others(node));
        } catch (QueueUnavailableException | IOException | JetStreamApiException e) {
            // NATS away for a moment: the gauges and listings keep their last reading
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads queued and running tasks from the consumers into the gauges; one call per language. */
    private void readConsumers() {
        long queued = 0;
        long running = 0;
        try {
            for (Language language : Language.values()) {
                ConsumerInfo info = link.management()
                        .getConsumerInfo(link.names().stream(), link.names().consumer(language));
                queued += info.getNumPending();
                running += info.getNumAckPending();
            }
        } catch (IOException | JetStreamApiException e) {
            throw new QueueUnavailableException("NATS did not answer: " + e.getMessage(), e);
        }
        sharedQueued.set(queued);
        sharedRunning.set(running);
        peakQueued.accumulateAndGet(queued, Math::max);
    }

    @Override
    public CompletionStage<TaskView> submit(TaskSpec spec) {
        String id = UUID.randomUUID().toString();
        TaskMessage message = new TaskMessage(id, clock.instant(), spec);
        byte[] task = message.encode();
        if (task.length > link.connection().getMaxPayload()) {
            return CompletableFuture.failedFuture(
                    new TaskTooLargeException(task.length, link.connection().getMaxPayload()));
        }
        // Listening before the task exists: its end cannot be announced before anyone here hears
        // it, so waiting on it needs no read of its state.
        CompletableFuture<TaskView> waiter = ends.waiter(id, new CompletableFuture<>());
        // No message id: JetStream's duplicate window would cost the server a lookup per task, and
        // nothing here publishes a task twice (an id is new for every submission).
        return link.jetStream()
                .publishAsync(link.names().subject(spec.language(), id), task)
                .thenApply(ack -> {
                    submitted.incrementAndGet();
                    return message.queued();
                })
                .exceptionallyCompose(e -> {
                    ends.forget(id, waiter);
                    return CompletableFuture.failedFuture(refusal(e));
                });
    }

    private Throwable refusal(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if ((t instanceof JetStreamApiException api && api.getApiErrorCode() == STREAM_FULL)
                    || String.valueOf(t.getMessage()).contains("maximum messages exceeded")) {
                return new QueueFullException(capacity);
            }
        }
        return new QueueUnavailableException(
                "the task queue on NATS did not accept the task: " + cause.getMessage(), cause);
    }

    @Override
    public CompletionStage<Optional<TaskView>> find(String id) {
        return CompletableFuture.supplyAsync(() -> current(id).map(Entry::view), blocking);
    }

    @Override
    public CompletableFuture<TaskView> ended(String id) {
        CompletableFuture<TaskView> fresh = new CompletableFuture<>();
        CompletableFuture<TaskView> shared = ends.waiter(id, fresh);
        CompletableFuture<TaskView> mine = shared.copy();
        var _ = mine.whenComplete((view, e) -> {
            if (e != null && shared.getNumberOfDependents() == 0) {
                ends.forget(id, shared);
            }
        });
        // Identity, not equality: whether this call's own future became the shared one.
        @SuppressWarnings("ReferenceEquality")
        boolean listenedFirst = shared == fresh;
        if (listenedFirst) {
            // The end may have been announced before we listened: read the state once after
            // listening. (Whoever listened first did so already, or listened before submitting.)
            find(id).thenAccept(view -> view.filter(v -> v.state().ended()).ifPresent(ends::complete));
        }
        return mine;
    }

    @Override
    public CompletionStage<Optional<TaskView>> cancel(String id) {
        return CompletableFuture.supplyAsync(() -> cancelNow(id), blocking);
    }

    private Optional<TaskView> cancelNow(String id) {
        // Compare-and-set on the state's revision (0: no state yet, the task is only queued): a
        // node that starts or finishes the task meanwhile wins, and we look again.
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<Entry> current = current(id);
            if (current.isEmpty() || current.get().view().state().ended()) {
                return Optional.empty();
            }
            TaskView cancelled = cancelled(current.get().view());
            byte[] bytes = json(cancelled);
            try {
                if (current.get().revision() == 0) {
                    link.tasks().create(id, bytes);
                } else {
                    link.tasks().update(id, bytes, current.get().revision());
                }
            } catch (JetStreamApiException e) {
                continue;
            } catch (IOException e) {
                throw new QueueUnavailableException("NATS did not take the cancellation: " + e.getMessage(), e);
            }
            current.get().queuedAt().ifPresent(this::dropQueued);
            // A node that pulled it meanwhile (or runs it) stops it when it hears this.
            link.connection().publish(link.names().cancelSubject(), id.getBytes(StandardCharsets.UTF_8));
            ends.announce(cancelled, bytes);
            return Optional.of(cancelled);
        }
        throw new QueueUnavailableException("task " + id + " kept changing while being cancelled", null);
    }

    private static TaskView cancelled(TaskView was) {
        return new TaskView(
                was.id(),
                TaskState.CANCELLED,
                was.function(),
                was.attempts(),
                was.worker(),
                was.submittedAt(),
                was.queueWaitNanos(),
                was.runNanos(),
                null,
                null,
                was.stdout(),
                was.stderr(),
                TaskError.of(FailureKind.CANCELLED, "cancelled by a client"));
    }

    /** Deletes a cancelled task's message, so that no node pulls it any more. */
    private void dropQueued(long sequence) {
        try {
            link.management().deleteMessage(link.names().stream(), sequence);
        } catch (JetStreamApiException e) {
            // Already gone: a node acked it (it ended).
        } catch (IOException e) {
            // It stays queued, and a node that pulls it later would run it: rare (NATS went away
            // between two calls), and the state at least says CANCELLED until then.
            log.atWarn().log("distribute: a cancelled task stays in the queue: {}", e.getMessage());
        }
    }

    @Override
    public CompletionStage<DispatchStats> stats() {
        return CompletableFuture.supplyAsync(
                () -> {
                    readConsumers();
                    List<WorkerView> all = allWorkers();
                    int idle = (int) all.stream()
                            .filter(w -> w.state() == WorkerState.IDLE)
                            .count();
                    int busy = (int) all.stream()
                            .filter(w -> w.state() == WorkerState.BUSY)
                            .count();
                    DispatchStats mine = local.stats();
                    return new DispatchStats(
                            (int) sharedQueued.get(),
                            (int) peakQueued.get(),
                            idle + busy,
                            idle,
                            busy,
                            (int) sharedRunning.get(),
                            submitted.get(),
                            mine.succeeded(),
                            mine.failed(),
                            mine.cancelled());
                },
                blocking);
    }

    @Override
    public CompletionStage<List<WorkerView>> workers() {
        return CompletableFuture.completedFuture(allWorkers());
    }

    /**
     * This instance's slots, live, and other nodes' as last sampled: those are refreshed by their
     * nodes every 2 s anyway, so reading them per request (one key-value read per node) would only
     * add round trips to every {@code /rpc} answer.
     */
    private List<WorkerView> allWorkers() {
        List<WorkerView> all = new ArrayList<>();
        // Named node/slot like every other node's, and like the worker a task names on JetStream.
        for (WorkerView w : local.workers()) {
            all.add(new WorkerView(
                    node + "/" + w.id(),
                    w.state(),
                    w.pid(),
                    w.task(),
                    w.tasksCompleted(),
                    w.busySeconds(),
                    w.restarts(),
                    w.lastReplacementMillis(),
                    w.supervised(),
                    w.language()));
        }
        all.addAll(otherNodes);
        return all;
    }

    /**
     * The task's state from the bucket, else, for a task that has no state there (queued, never
     * started, or queued longer than the bucket's retention), from its message in the stream.
     */
    private Optional<Entry> current(String id) {
        Optional<Entry> stored = read(id);
        return stored.isPresent() ? stored : queued(id);
    }

    private Optional<Entry> read(String id) {
        try {
            KeyValueEntry entry = link.tasks().get(id);
            if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
                return Optional.empty();
            }
            return Optional.of(new Entry(
                    TaskJson.readTask(JSON.readTree(entry.getValue())), entry.getRevision(), Optional.empty()));
        } catch (IllegalArgumentException e) {
            // An id that is no valid key (the HTTP layer checks ids; this is the last guard).
            return Optional.empty();
        } catch (IOException | JetStreamApiException e) {
            throw new QueueUnavailableException("NATS did not answer: " + e.getMessage(), e);
        }
    }

    /** The task's message while it waits in the stream (or runs on a node that did not say so yet). */
    private Optional<Entry> queued(String id) {
        for (Language language : Language.values()) {
            try {
                MessageInfo found = link.management()
                        .getLastMessage(link.names().stream(), link.names().subject(language, id));
                TaskMessage message = TaskMessage.decode(found.getData());
                return Optional.of(new Entry(message.queued(), 0, Optional.of(found.getSeq())));
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != NO_MESSAGE) {
                    throw new QueueUnavailableException("NATS did not answer: " + e.getMessage(), e);
                }
            } catch (IllegalArgumentException e) {
                // Not a task we wrote: nothing queued under this id.
                return Optional.empty();
            } catch (IOException e) {
                throw new QueueUnavailableException("NATS did not answer: " + e.getMessage(), e);
            }
        }
        return Optional.empty();
    }

    static byte[] json(TaskView view) {
        try {
            return JSON.writeValueAsBytes(TaskJson.task(view));
        } catch (IOException e) {
            throw new IllegalStateException("a task state could not be written as JSON", e);
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        ends.stopListening();
        blocking.shutdownNow();
    }

    /**
     * A task's state as found, with the revision of its bucket entry (0 when it has none) and, when
     * read from its queued message, that message's sequence in the stream.
     */
    private record Entry(TaskView view, long revision, Optional<Long> queuedAt) {}
}
