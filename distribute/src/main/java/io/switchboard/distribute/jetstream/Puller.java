package io.switchboard.distribute.jetstream;

import io.nats.client.Connection;
import io.nats.client.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Pulls one consumer's messages for a node's idle workers of one language, asking for exactly as
 * many as there are idle workers that no earlier request covers: one pull request for all of them,
 * sent from the thread that reports a worker idle, and messages handed over on the thread that
 * receives them, so no thread waits in between.
 *
 * <p>The requests are JetStream's pull protocol spoken directly ({@code $JS.API.CONSUMER.MSG.NEXT},
 * replies to an inbox of this node): the client library's pull subscriptions either block a thread
 * per request or keep a rolling buffer of messages, which is the prefetch a node must not do. A
 * request expires on the server after {@link #EXPIRES}, which says so; this side then asks again
 * for the workers still idle (and counts a request expired on its own past {@link #GRACE}, for a
 * word lost with a connection). A message that arrives anyway for a worker that meanwhile left
 * waits in the local dispatcher for the next free one: at most the few requests open at that
 * moment.
 */
final class Puller {

    /** How long the server keeps a request open; also how long a dead node's request can linger. */
    static final Duration EXPIRES = Duration.ofSeconds(1);

    /**
     * Past {@link #EXPIRES}, how long this side waits for the server's word that a request expired
     * before it counts it expired anyway (the word was lost with a connection, say).
     */
    static final Duration GRACE = Duration.ofSeconds(1);

    /** The status the server answers with when a request expires unfilled (or partly filled). */
    private static final int REQUEST_TIMEOUT = 408;

    private final Connection connection;
    private final String requestSubject;
    private final String inbox;
    private final Predicate<Message> take;
    private final LongSupplier nanoTime;
    private final Deque<Request> open = new ArrayDeque<>();
    private int idle;
    private int requested;
    private boolean pulling = true;

    /**
     * @param take hands a message to a worker; false when it did not take it (the worker stays idle)
     */
    Puller(Connection connection, String stream, String consumer, Predicate<Message> take, LongSupplier nanoTime) {
        this.connection = connection;
        this.requestSubject = "$JS.API.CONSUMER.MSG.NEXT." + stream + "." + consumer;
        this.inbox = connection.createInbox();
        this.take = take;
        this.nanoTime = nanoTime;
    }

    /** The subject this puller's messages arrive on: subscribe {@link #deliver} to it. */
    String inbox() {
        return inbox;
    }

    /** A worker became idle. */
    void idle() {
        synchronized (this) {
            idle++;
        }
        requestMore();
    }

    /** An idle worker left. */
    synchronized void gone() {
        idle = Math.max(0, idle - 1);
    }

    /** Forgets expired requests and asks again for the workers they were for; call it periodically. */
    void expire() {
        synchronized (this) {
            long now = nanoTime.getAsLong();
            while (!open.isEmpty() && now - open.peekFirst().deadline() > 0) {
                requested -= open.pollFirst().remaining;
            }
        }
        requestMore();
    }

    /**
     * The server says the oldest request expired (all have the same lifetime, so they expire in
     * the order they were sent): ask again at once for the workers it was for.
     */
    private void expired() {
        synchronized (this) {
            Request oldest = open.pollFirst();
            if (oldest != null) {
                requested -= oldest.remaining;
            }
        }
        requestMore();
    }

    /** Stops asking; requests already sent expire on the server. */
    synchronized void stop() {
        pulling = false;
    }

    /** A message on the inbox: a task for an idle worker, or a status (a request expired or was refused). */
    void deliver(Message message) {
        if (message.isStatusMessage()) {
            if (message.getStatus().getCode() == REQUEST_TIMEOUT) {
                expired();
            }
            // Anything else (a refused request, say): the deadline on this side forgets it.
            return;
        }
        synchronized (this) {
            // The server fills requests in the order it got them.
            // (One that arrives after its request counted as expired was asked for again meanwhile:
            // the second one waits in the dispatcher for a worker.)
            Request oldest = open.peekFirst();
            if (oldest != null) {
                requested--;
                if (--oldest.remaining == 0) {
                    open.pollFirst();
                }
            }
            idle = Math.max(0, idle - 1);
        }
        boolean taken;
        try {
            taken = take.test(message);
        } catch (RuntimeException e) {
            // Not taken, whatever went wrong: the message is redelivered after the ack wait, and
            // the worker must not be forgotten as idle.
            taken = false;
        }
        if (!taken) {
            idle();
        }
    }

    private void requestMore() {
        int batch;
        synchronized (this) {
            batch = pulling ? idle - requested : 0;
            if (batch <= 0) {
                return;
            }
            requested += batch;
            open.addLast(new Request(
                    batch, nanoTime.getAsLong() + EXPIRES.plus(GRACE).toNanos()));
        }
        String request = "{\"batch\":" + batch + ",\"expires\":" + EXPIRES.toNanos() + "}";
        try {
            connection.publish(requestSubject, inbox, request.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // NATS away: the request counts as sent and expires; the next tick asks again.
        }
    }

    /** A pull request on its way or open on the server: how many messages it may still bring. */
    private static final class Request {
        private int remaining;
        private final long deadline;

        Request(int remaining, long deadline) {
            this.remaining = remaining;
            this.deadline = deadline;
        }

        long deadline() {
            return deadline;
        }
    }
}
