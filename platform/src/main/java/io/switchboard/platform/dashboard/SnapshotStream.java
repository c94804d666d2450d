package io.switchboard.platform.dashboard;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The snapshots of the last minutes and the open event streams they are pushed to.
 *
 * <p>Each snapshot is encoded once as a server-sent event ({@code id} = its sequence number) and
 * written to every subscriber. A subscriber whose write queue is full (a stalled browser tab) is
 * closed rather than buffered without bound; the browser's {@code EventSource} reconnects by
 * itself and gets what it missed from the history.
 */
final class SnapshotStream {

    /** Time between two snapshots: the page's refresh rate and the resolution of its rates. */
    static final Duration INTERVAL = Duration.ofSeconds(1);

    /** Snapshots kept for a page that opens: the width of its charts (5 minutes at one per second). */
    static final int HISTORY = 300;

    /** Open streams beyond which a new one is refused with 503 (each costs a connection and a write per second). */
    static final int MAX_SUBSCRIBERS = 32;

    /** Asks the browser to reconnect this soon after the stream drops (milliseconds). */
    private static final int RETRY_MS = 2000;

    private final Sampler sampler;
    private final LongSupplier nanoTime;
    private final LongSupplier epochMillis;
    private final ArrayDeque<Event> history = new ArrayDeque<>(HISTORY);
    private final Set<HttpServerResponse> subscribers = new CopyOnWriteArraySet<>();
    private long sequence;

    private record Event(long id, Buffer encoded) {}

    SnapshotStream(Sampler sampler, LongSupplier nanoTime, LongSupplier epochMillis) {
        this.sampler = sampler;
        this.nanoTime = nanoTime;
        this.epochMillis = epochMillis;
    }

    /**
     * Samples now (so a page opened at once has a first point) and then every {@link #INTERVAL}, on
     * a worker thread. A sample scrapes the whole registry and encodes it: milliseconds of work that
     * on an event loop stalled every request of that loop once a second, and set the relay's p99
     * (about 20 ms at 40k requests/s on one loop). Subscribers' responses are written from there;
     * Vert.x hands each write to its connection's loop.
     */
    void start(Vertx vertx) {
        // Ordered: one tick at a time, in order, even if one runs longer than the interval.
        vertx.executeBlocking(this::tickNow, true);
        vertx.setPeriodic(INTERVAL.toMillis(), id -> vertx.executeBlocking(this::tickNow, true));
    }

    private @Nullable Void tickNow() {
        tick();
        return null;
    }

    /** Takes one snapshot, keeps it and pushes it to every subscriber. */
    synchronized void tick() {
        JsonObject snapshot = sampler.sample(nanoTime.getAsLong(), epochMillis.getAsLong());
        Event event = new Event(++sequence, encode(sequence, snapshot));
        if (history.size() == HISTORY) {
            history.removeFirst();
        }
        history.addLast(event);
        for (HttpServerResponse subscriber : subscribers) {
            send(subscriber, event.encoded());
        }
    }

    /**
     * Starts streaming to {@code response}: the history after {@code lastEventId} (all of it when
     * null), then every new snapshot. Returns false, writing nothing, when the stream is full.
     */
    synchronized boolean subscribe(HttpServerResponse response, String lastEventId) {
        if (subscribers.size() >= MAX_SUBSCRIBERS) {
            return false;
        }
        long after = parseId(lastEventId);
        if (after > sequence) {
            after = 0; // an id from before a restart of the server: the page needs all of this one's history
        }
        Buffer backlog = Buffer.buffer("retry: " + RETRY_MS + "\n\n");
        for (Event event : history) {
            if (event.id() > after) {
                backlog.appendBuffer(event.encoded());
            }
        }
        response.write(backlog);
        subscribers.add(response);
        response.closeHandler(closed -> subscribers.remove(response));
        response.endHandler(ended -> subscribers.remove(response));
        return true;
    }

    /** Ends every open stream, e.g. when the server shuts down and waits for in-flight requests. */
    void end(HttpServerResponse response) {
        subscribers.remove(response);
        if (!response.ended() && !response.closed()) {
            response.end();
        }
    }

    int subscribers() {
        return subscribers.size();
    }

    List<Long> historyIds() {
        List<Long> ids = new ArrayList<>();
        history.forEach(event -> ids.add(event.id()));
        return ids;
    }

    private void send(HttpServerResponse subscriber, Buffer event) {
        if (subscriber.closed() || subscriber.ended()) {
            subscribers.remove(subscriber);
        } else if (subscriber.writeQueueFull()) {
            subscribers.remove(subscriber);
            subscriber.reset();
        } else {
            subscriber.write(event);
        }
    }

    /** A reconnecting browser sends the last id it saw; anything unreadable means "send everything". */
    private static long parseId(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank() || lastEventId.length() > 19) {
            return 0;
        }
        try {
            return Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Buffer encode(long id, JsonObject snapshot) {
        return Buffer.buffer("id: " + id + "\nevent: snapshot\ndata: " + snapshot.encode() + "\n\n");
    }
}
