package io.switchboard.bench.load;

import io.switchboard.bench.RequestSpec;
import io.switchboard.bench.Ticker;
import io.switchboard.bench.measure.StepRecorder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The HTTP side of the load generator: a set of I/O threads ("loops"), each with its share of the
 * connections, on which the load models run their users.
 *
 * <p>Two implementations: {@link PlainHttpTransport} (HTTP/1.1 on plain sockets, one NIO selector
 * per loop, requests encoded once and answers framed in place) for {@code http://} targets on
 * one origin, the common case and the one that must keep up with wrk; {@link VertxTransport}
 * (Vert.x's HttpClient) for TLS and for plans that mix origins.
 *
 * <p>Threading: {@link #exchange} is called on loop {@code loop}'s thread (from a task given to
 * {@link #execute} or from the completion of an earlier exchange on that loop); the returned
 * future completes on that thread too, so a user's whole life runs on one thread.
 */
interface Transport {

    /** Opens the transport {@code requests} need, with {@code connections} connections over {@code loops} loops. */
    static Future<Transport> open(
            Vertx vertx, List<RequestSpec> requests, int loops, int connections, Duration timeout, Ticker ticker) {
        if (PlainHttpTransport.supports(requests)) {
            try {
                return Future.succeededFuture(PlainHttpTransport.open(requests, loops, connections, timeout, ticker));
            } catch (IOException e) {
                return Future.failedFuture(e);
            }
        }
        return VertxTransport.open(vertx, requests, loops, connections, timeout, ticker)
                .map(transport -> transport);
    }

    /** How the client of a plan sends its requests, for the report. */
    static String describe(Vertx vertx, List<RequestSpec> requests, int loops) {
        return PlainHttpTransport.supports(requests)
                ? "HTTP/1.1 on NIO sockets, " + loops + (loops == 1 ? " I/O thread" : " I/O threads")
                : "Vert.x HttpClient, " + (vertx.isNativeTransportEnabled() ? "native" : "NIO") + " transport, " + loops
                        + " event loops";
    }

    /** Loops (I/O threads) of this transport. */
    int loopCount();

    /** Runs {@code task} on loop {@code loop}'s thread, later. */
    void execute(int loop, Runnable task);

    /**
     * Sends the next request on loop {@code loop} and records its outcome in {@code recorder}. The
     * returned future always succeeds, once the answer is read to its end, the request failed or
     * it timed out.
     *
     * @param intendedNanos when the request was due; latency is measured from it
     */
    Future<Void> exchange(int loop, long intendedNanos, StepRecorder recorder);

    /** Closes the connections and stops the loops. */
    Future<Void> close();
}
