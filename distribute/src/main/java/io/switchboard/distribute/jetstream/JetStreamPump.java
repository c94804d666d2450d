package io.switchboard.distribute.jetstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.switchboard.distribute.TaskJson;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds this node's workers from the JetStream queue, one task per idle worker: the no-prefetch rule
 * of the in-process dispatcher, kept across machines.
 *
 * <p>Per language there is a semaphore with one permit per idle worker (the dispatcher announces
 * idle and departed workers through {@link WorkerAvailability}) and a few pull loops on virtual
 * threads. A loop takes a permit, pulls one message, and hands the task to the local {@link
 * Dispatcher} under its own id, which starts it on the idle worker at once. While it runs the node
 * sends in-progress acks; when it ends the node writes the final state to the bucket, then acks the
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
    private static final Duration PULL_WAIT = Duration.ofSeconds(1);
    private static final Duration NODE_REFRESH = Duration.ofSeconds(2);

    private final JetStreamLink link;
    private final String node;
    private final ScheduledExecutorService timers;
    private final Map<Language, Semaphore> idleWorkers = new EnumMap<>(Language.class);
    private final Map<String, Task> running = new ConcurrentHashMap<>();
    private final ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor();
    private final ExecutorService loops = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("distribute-pull-", 0).factory());
    private final NodeRegistry registry;
    private volatile boolean pulling = true;
    private volatile boolean closing;
    private Dispatcher dispatcher;
    private io.nats.client.Dispatcher cancels;
    private ScheduledFuture<?> refresh;

    /** @param node this node's id in worker listings and logs */
    public JetStreamPump(JetStreamLink link, String node, ScheduledExecutorService timers) {
        this.link = link;
        this.node = node;
        this.timers = timers;
        this.registry = new NodeRegistry(link);
        for (Language language : Language.values()) {
            idleWorkers.put(language, new Semaphore(0));
        }
    }

    /**
     * Starts pulling for this node's workers.
     *
     * @param loops pull loops per language: as many as the node may have idle workers of it
     */
    public void start(Dispatcher dispatcher, Map<Language, Integer> loops) {
        this.dispatcher = dispatcher;
        cancels = link.connection()
                .createDispatcher(message -> cancel(new String(message.getData(), StandardCharsets.UTF_8)));
        cancels.subscribe(link.names().cancelSubject());
        loops.forEach((language, count) -> {
            for (int i = 0; i < count; i++) {
                this.loops.execute(() -> pull(language));
            }
        });
        refresh = timers.scheduleAtFixedRate(this::publishWorkers, 0, NODE_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        log.atInfo()
                .addKeyValue("nats", link.server())
                .addKeyValue("node", node)
                .log("distribute: node {} pulls tasks from JetStream at {}", node, link.server());
    }

    @Override
    public void idle(Language language) {
        idleWorkers.get(language).release();
    }

    @Override
    public void gone(Language language) {
        idleWorkers.get(language).tryAcquire();
    }

    private void pull(Language language) {
        Semaphore idle = idleWorkers.get(language);
        JetStreamSubscription subscription;
        try {
            subscription = link.jetStream()
                    .subscribe(
                            link.names().subject(language),
                            PullSubscribeOptions.bind(
                                    link.names().stream(), link.names().consumer(language)));
        } catch (IOException | JetStreamApiException e) {
            log.atError().log("distribute: cannot pull {} tasks from JetStream: {}", language, e.getMessage());
            return;
        }
        while (pulling) {
            try {
                idle.acquire();
                List<Message> got = pulling ? subscription.fetch(1, PULL_WAIT) : List.of();
                if (got.isEmpty()) {
                    idle.release();
                    continue;
                }
                if (!take(got.get(0))) {
                    idle.release();
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                // NATS unreachable for now: the client reconnects; keep the permit and try again.
                idle.release();
                log.atWarn().log("distribute: pulling {} tasks failed: {}", language, e.toString());
                if (!pause()) {
                    break;
                }
            }
        }
        try {
            subscription.unsubscribe();
        } catch (RuntimeException e) {
            // the connection is closing
        }
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
            local = dispatcher.submit(task.id(), task.submittedAt(), task.spec(), priorAttempts);
        } catch (NotAcceptingException | QueueFullException e) {
            message.nak();
            return false;
        }
        running.put(task.id(), local);
        // A first delivery starts at once; whether it was cancelled while queued is checked while it
        // already runs (one round trip saved per task; a cancelled one is stopped). The RUNNING state
        // is sent before the final one can be, on the same connection, so it never overwrites it.
        CompletableFuture<Void> announced = CompletableFuture.runAsync(
                () -> {
                    if (priorAttempts == 0) {
                        TaskView current = state(task.id());
                        if (current != null && current.state() == TaskState.CANCELLED) {
                            dispatcher.cancel(local);
                            return;
                        }
                    }
                    TaskView now = onThisNode(dispatcher.view(local));
                    if (!now.state().ended()) {
                        var _ = link.jetStream()
                                .publishAsync(link.names().stateSubject(task.id()), JetStreamQueue.json(now));
                    }
                },
                checks);
        long beat = JetStreamLink.ACK_WAIT.toMillis() / 3;
        ScheduledFuture<?> heartbeat =
                timers.scheduleAtFixedRate(() -> inProgress(message), beat, beat, TimeUnit.MILLISECONDS);
        var _ = local.ended().whenComplete((view, e) -> {
            heartbeat.cancel(false);
            running.remove(task.id());
            var _ = announced.handle((ignored, failed) -> {
                finish(message, onThisNode(view));
                return null;
            });
        });
        return true;
    }

    private void finish(Message message, TaskView view) {
        if (closing
                && view.error() != null
                && (view.error().kind() == FailureKind.SHUTDOWN || view.error().kind() == FailureKind.CRASH)) {
            // This node is stopping: let another node run it rather than fail it.
            message.nak();
            return;
        }
        byte[] state = bounded(view);
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
                    link.connection().publish(link.names().endedSubject(), state);
                });
    }

    /** A final state too big for one message keeps its outcome and says why the result is missing. */
    private byte[] bounded(TaskView view) {
        byte[] state = JetStreamQueue.json(view);
        long limit = link.connection().getMaxPayload();
        if (state.length <= limit) {
            return state;
        }
        return JetStreamQueue.json(new TaskView(
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
                                + limit + " bytes")));
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

    private TaskView state(String id) {
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
        Task task = running.get(id);
        if (task != null) {
            dispatcher.cancel(task);
        }
    }

    private void publishWorkers() {
        try {
            registry.publish(node, dispatcher.workers());
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            log.atDebug().log("distribute: could not refresh this node's worker listing: {}", e.toString());
        }
    }

    /** Waits a moment after a failed pull; false when interrupted (closing). */
    private static boolean pause() {
        try {
            Thread.sleep(PULL_WAIT);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Stops pulling: tasks already here run to their end, no new ones come. */
    public void stopPulling() {
        pulling = false;
        closing = true;
    }

    @Override
    public void close() {
        stopPulling();
        if (refresh != null) {
            refresh.cancel(false);
        }
        loops.shutdownNow();
        checks.shutdown();
        if (cancels != null) {
            link.connection().closeDispatcher(cancels);
        }
    }

    /** Tasks this node runs now, for tests. */
    int running() {
        return running.size();
    }
}
