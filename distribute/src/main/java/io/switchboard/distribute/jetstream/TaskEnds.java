package io.switchboard.distribute.jetstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.switchboard.distribute.dispatch.TaskView;
import io.switchboard.distribute.json.TaskJson;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * This process's ear for the ends of tasks, and its voice to the other processes on the queue.
 *
 * <p>Every instance hears every end, since any instance may hold a client waiting for any task.
 * Most ends are of tasks nobody waits for on a given instance, and reading each announcement's
 * JSON only to find that out showed in profiles. So an announcement carries the task's id in a
 * header ({@value #TASK_HEADER}), and an instance reads the body only when one of its clients waits
 * for that id. A task that ends in the process where its client waits (the common case: one
 * {@code serve} with its own workers) completes the waiter directly, with no encoding or parsing
 * in between; the announcement then finds nobody waiting there and is skipped.
 *
 * <p>Announcements without the header (from an older node) are still read in full.
 *
 * <p>Threads: {@link #announce} runs on NATS callback threads of the pump, {@link #heard} on this
 * class's own NATS dispatcher thread, the rest on event loops or virtual threads; the map of
 * waiters is concurrent, and a waiter is completed at most once (removed before completing).
 */
final class TaskEnds {

    /** The header naming the task whose end an announcement carries. */
    static final String TASK_HEADER = "Switchboard-Task";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final String subject;
    private final ConcurrentHashMap<String, CompletableFuture<TaskView>> waiting = new ConcurrentHashMap<>();
    private io.nats.client.@Nullable Dispatcher listening;

    TaskEnds(Connection connection, String subject) {
        this.connection = connection;
        this.subject = subject;
    }

    /** Starts hearing the ends other processes announce; an instance that has waiters calls it once. */
    synchronized void listen() {
        if (listening == null) {
            io.nats.client.Dispatcher dispatcher = connection.createDispatcher(this::heard);
            dispatcher.subscribe(subject);
            listening = dispatcher;
        }
    }

    synchronized void stopListening() {
        if (listening != null) {
            connection.closeDispatcher(listening);
            listening = null;
        }
    }

    /**
     * The future completed with {@code id}'s final state: the one already shared for that id, or
     * {@code fresh}, which becomes the shared one (identity tells the caller which).
     */
    CompletableFuture<TaskView> waiter(String id, CompletableFuture<TaskView> fresh) {
        return waiting.computeIfAbsent(id, key -> fresh);
    }

    /** Stops waiting for {@code id} when {@code shared} is still its waiter (nobody else uses it). */
    void forget(String id, CompletableFuture<TaskView> shared) {
        waiting.remove(id, shared);
    }

    /**
     * Tells everyone that a task ended: waiters in this process at once, then every other process
     * through NATS. {@code state} is the view as stored (its JSON); it is the announcement's body.
     */
    void announce(TaskView view, byte[] state) {
        complete(view);
        Headers headers = new Headers().put(TASK_HEADER, view.id());
        connection.publish(subject, headers, state);
    }

    /** An announcement arrived; read only when someone here waits for its task. */
    void heard(Message message) {
        String id = message.hasHeaders() ? message.getHeaders().getFirst(TASK_HEADER) : null;
        if (id != null && !waiting.containsKey(id)) {
            return;
        }
        try {
            complete(TaskJson.readTask(JSON.readTree(message.getData())));
        } catch (IOException | RuntimeException e) {
            // Not ours to understand: a waiter falls back to its timeout and reads the state.
        }
    }

    /** Completes the waiter of {@code view}'s task, if any; a state read after an announcement lost. */
    void complete(TaskView view) {
        CompletableFuture<TaskView> shared = waiting.remove(view.id());
        if (shared != null) {
            shared.complete(view);
        }
    }

    /** Tasks some client in this process waits for; for tests. */
    int waiters() {
        return waiting.size();
    }
}
