package io.switchboard.distribute.jetstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.switchboard.distribute.dispatch.Dispatcher;
import io.switchboard.distribute.dispatch.FailureKind;
import io.switchboard.distribute.dispatch.Language;
import io.switchboard.distribute.dispatch.NotAcceptingException;
import io.switchboard.distribute.dispatch.QueueFullException;
import io.switchboard.distribute.dispatch.Task;
import io.switchboard.distribute.dispatch.TaskError;
import io.switchboard.distribute.dispatch.TaskState;
import io.switchboard.distribute.dispatch.TaskView;
import io.switchboard.distribute.dispatch.WorkerAvailability;
import io.switchboard.distribute.json.TaskJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds this node's workers from the JetStream queue, one task per idle worker: the no-prefetch rule
 * of the in-process dispatcher, kept across machines.
 *
 * <p>Per language a {@link Puller} asks the consumer for as many messages as this node has idle
 * workers (the dispatcher announces idle and departed workers through {@link WorkerAvailability}),
 * and hands each task that arrives to the local {@link
 * Dispatcher} under its own id, which starts it on the idle worker at once: a first delivery is
 * started without reading the task's state (a cancelled task's message is deleted from the stream,
 * and a node that pulled it just before hears the cancellation, {@link HeardCancellations}). A task
 * still running after {@link #RUNNING_DELAY} gets its {@code RUNNING} state written, then
 * in-progress acks; when it ends the node writes the final state to the bucket, then acks the
 * message, then announces the end. So:
 *
 * <ul>
 *   <li>a worker process that crashes is replaced and the task retried here, as without NATS;
 *   <li>a node that dies stops acking, and JetStream redelivers its tasks to other nodes after
 *       {@link JetStreamLink#ACK_WAIT}; the redelivery count counts against the task's retries,
 *       and past them the task fails as {@code CRASH};
 *   <li>a crash between the state write and the ack runs the task again: at least once, and the
 *       number of repeats is bounded by the number of node deaths.
 * </ul>
 */
public final class JetStreamPump implements WorkerAvailability, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JetStreamPump.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration NODE_REFRESH = Duration.ofSeconds(2);

    /**
     * How long a task runs before its {@code RUNNING} state is written: most tasks end sooner, and
     * their final state is then the only write. Until then other instances answer {@code QUEUED}.
     */
    static final Duration RUNNING_DELAY = Duration.ofMillis(5);

    /** In-progress acks: three per ack wait, so one lost beat does not lose the task. */
    private static final Duration BEAT = JetStreamLink.ACK_WAIT.dividedBy(3);

    private final JetStreamLink link;
    private final String node;
    private final ScheduledExecutorService timers;
    private final Map<Language, Puller> pullers = new EnumMap<>(Language.class);
    private final Map<String, Task> running = new ConcurrentHashMap<>();
    private final HeardCancellations cancellations = new HeardCancellations(System::nanoTime);
    private final NodeRegistry registry;
    private volatile boolean closing;
    // Set by start; close may come without it, hence null until then.
    private @Nullable Dispatcher dispatcher;
    private io.nats.client.@Nullable Dispatcher cancels;
    private io.nats.client.@Nullable Dispatcher deliveries;
    private @Nullable ScheduledFuture<?> refresh;
    private @Nullable ScheduledFuture<?> expiry;

    /** @param node this node's id in worker listings and logs */
    public JetStreamPump(JetStreamLink link, String node, ScheduledExecutorService timers) {
        this.link = link;
        this.node = node;
        this.timers = timers;
        this.registry = new NodeRegistry(link);
        for (Language language : Language.values()) {
            pullers.put(
                    language,
                    new Puller(
                            link.connection(),
                            link.names().stream(),
                            link.names().consumer(language),
                            this::take,
                            System::nanoTime));
        }
    }

    /** Starts pulling for this node's workers (as they report idle). */
    public void start(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
        cancels = link.connection()
                .createDispatcher(message -> cancel(new String(message.getData(), StandardCharsets.UTF_8)));
        cancels.subscribe(link.names().cancelSubject());
        // Tasks are handed to workers on this dispatcher's thread, as they arrive.
        deliveries = link.connection().createDispatcher();
        pullers.values().forEach(puller -> deliveries.subscribe(puller.inbox(), puller::deliver));
        long tick = Puller.GRACE.toMillis() / 2;
        expiry = timers.scheduleAtFixedRate(
                () -> pullers.values().forEach(Puller::expire), tick, tick, TimeUnit.MILLISECONDS);
        refresh = timers.scheduleAtFixedRate(this::publishWorkers, 0, NODE_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        log.atInfo()
                .addKeyValue("nats", link.server())
                .addKeyValue("node", node)
                .log("distribute: node {} pulls tasks from JetStream at {}", node, link.server());
    }

    @Override
    public void idle(Language language) {
        puller(language).idle();
    }

    @Override
    public void gone(Language language) {
        puller(language).gone();
    }

    /** @return true if the task went to a worker (the permit is spent) */
    private boolean take(Message message) {
        TaskMessage task;
        try {
            task = TaskMessage.decode(message.getData());
        } catch (IllegalArgumentException e) {
            log.atWarn()
                    .log(
                            "distribute: dropping a message on {} that is no task: {}",
                            message.getSubject(),
                            e.getMessage());
            message.term();
            return false;
        }
        int priorAttempts = Math.max(0, (int) message.metaData().deliveredCount() - 1);
        if (priorAttempts > 0) {
            // A redelivery (rare): its node may have ended it before dying, or it may have run out
            // of retries. Read its state first.
            TaskView current = state(task.id());
            if (current != null && current.state().ended()) {
                message.ack();
                return false;
            }
            if (priorAttempts > task.spec().maxRetries()) {
                String text = "the node" + (priorAttempts > 1 ? "s" : "") + " running it stopped before it ended, "
                        + priorAttempts + " time" + (priorAttempts > 1 ? "s" : "") + "; it was not retried further";
                finish(message, ended(task, priorAttempts, TaskError.of(FailureKind.CRASH, text)));
                return false;
            }
        }
        Task local;
        try {
            local = dispatcher().submit(task.id(), task.submittedAt(), task.spec(), priorAttempts);
        } catch (NotAcceptingException | QueueFullException e) {
            message.nak();
            return false;
        }
        running.put(task.id(), local);
        // Put in the running map first, then look: a cancellation heard before or after is seen.
        if (cancellations.cancelled(task.id())) {
            dispatcher().cancel(local);
        }
        Beat beat = new Beat(message, local);
        ScheduledFuture<?> beats =
                timers.scheduleAtFixedRate(beat, RUNNING_DELAY.toNanos(), BEAT.toNanos(), TimeUnit.NANOSECONDS);
        var _ = local.ended().whenComplete((view, e) -> {
            beats.cancel(false);
            running.remove(task.id());
            beat.end();
            finish(message, onThisNode(view));
        });
        return true;
    }

    /**
     * A running task's signs of life: its {@code RUNNING} state once it has run for {@link
     * #RUNNING_DELAY}, then in-progress acks. The state is written, if at all, before the final one
     * (both are sends on one connection, in order), so it never overwrites it.
     */
    private final class Beat implements Runnable {

        private final Message message;
        private final Task task;
        private boolean stated;
        private boolean ended;

        Beat(Message message, Task task) {
            this.message = message;
            this.task = task;
        }

        @Override
        public synchronized void run() {
            if (ended) {
                return;
            }
            if (!stated) {
                stated = true;
                TaskView now = onThisNode(dispatcher().view(task));
                if (!now.state().ended()) {
                    var _ = link.jetStream()
                            .publishAsync(link.names().stateSubject(task.id()), JetStreamQueue.json(now));
                }
                return;
            }
            inProgress(message);
        }

        synchronized void end() {
            ended = true;
        }
    }

    private void finish(Message message, TaskView view) {
        if (closing
                && view.error() != null
                && (view.error().kind() == FailureKind.SHUTDOWN || view.error().kind() == FailureKind.CRASH)) {
            // This node is stopping: let another node run it rather than fail it.
            message.nak();
            return;
        }
        Stored stored = bounded(view);
        byte[] state = stored.json();
        var _ = link.jetStream()
                .publishAsync(link.names().stateSubject(view.id()), state)
                .whenComplete((ack, e) -> {
                    if (e != null) {
                        log.atWarn()
                                .addKeyValue("task", view.id())
                                .log(
                                        "distribute: the end of a task could not be stored ({}); it will run again",
                                        e.getMessage());
                        message.nak();
                        return;
                    }
                    message.ack();
                    link.ends().announce(stored.view(), state);
                });
    }

    /** A final state as it is stored, and its JSON, encoded once. */
    private record Stored(TaskView view, byte[] json) {}

    /** A final state too big for one message keeps its outcome and says why the result is missing. */
    private Stored bounded(TaskView view) {
        byte[] state = JetStreamQueue.json(view);
        long limit = link.connection().getMaxPayload();
        if (state.length <= limit) {
            return new Stored(view, state);
        }
        TaskView reduced = new TaskView(
                view.id(),
                TaskState.FAILED,
                view.function(),
                view.attempts(),
                view.worker(),
                view.submittedAt(),
                view.queueWaitNanos(),
                view.runNanos(),
                null,
                null,
                "",
                "",
                TaskError.of(
                        FailureKind.INVALID,
                        "the task's result and output are " + state.length + " bytes; the queue carries at most "
                                + limit + " bytes"));
        return new Stored(reduced, JetStreamQueue.json(reduced));
    }

    /** Names the worker after its node too: slot ids (w-1, …) repeat across machines. */
    private TaskView onThisNode(TaskView view) {
        if (view.worker() == null) {
            return view;
        }
        return new TaskView(
                view.id(),
                view.state(),
                view.function(),
                view.attempts(),
                node + "/" + view.worker(),
                view.submittedAt(),
                view.queueWaitNanos(),
                view.runNanos(),
                view.result(),
                view.resultEncoding(),
                view.stdout(),
                view.stderr(),
                view.error());
    }

    private TaskView ended(TaskMessage task, int attempts, TaskError error) {
        return new TaskView(
                task.id(),
                TaskState.FAILED,
                task.spec().function(),
                attempts,
                null,
                task.submittedAt(),
                -1,
                -1,
                null,
                null,
                "",
                "",
                error);
    }

    /** The puller of {@code language}; the constructor made one for every language. */
    private Puller puller(Language language) {
        return Objects.requireNonNull(pullers.get(language), "the constructor makes a puller per language");
    }

    /** The dispatcher {@link #start} was given: tasks are pulled and workers listed only after it. */
    private Dispatcher dispatcher() {
        return Objects.requireNonNull(dispatcher, "start(dispatcher) runs before any task is pulled");
    }

    /** The task's last state in the KV store, or null when it is gone or cannot be read. */
    private @Nullable TaskView state(String id) {
        try {
            KeyValueEntry entry = link.tasks().get(id);
            if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
                return null;
            }
            return TaskJson.readTask(JSON.readTree(entry.getValue()));
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            return null;
        }
    }

    private void inProgress(Message message) {
        try {
            message.inProgress();
        } catch (RuntimeException e) {
            // disconnected: the next beat tries again; past the ack wait the task moves on
        }
    }

    private void cancel(String id) {
        cancellations.heard(id);
        Task task = running.get(id);
        if (task != null) {
            dispatcher().cancel(task);
        }
    }

    private void publishWorkers() {
        try {
            registry.publish(node, dispatcher().workers());
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            log.atDebug().log("distribute: could not refresh this node's worker listing: {}", e.toString());
        }
    }

    /** Stops pulling: tasks already here run to their end, no new ones come. */
    public void stopPulling() {
        pullers.values().forEach(Puller::stop);
        closing = true;
    }

    @Override
    public void close() {
        stopPulling();
        if (refresh != null) {
            refresh.cancel(false);
        }
        if (expiry != null) {
            expiry.cancel(false);
        }
        if (cancels != null) {
            link.connection().closeDispatcher(cancels);
        }
        if (deliveries != null) {
            link.connection().closeDispatcher(deliveries);
        }
    }

    /** Tasks this node runs now, for tests. */
    int running() {
        return running.size();
    }
}
