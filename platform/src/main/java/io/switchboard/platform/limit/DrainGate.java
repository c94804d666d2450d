package io.switchboard.platform.limit;

import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The first phase of a graceful stop: while draining, the server still accepts connections, so that
 * {@code /health/ready} can answer 503 and a load balancer sees it, but refuses new work with a 503
 * problem ({@code Retry-After}, {@code Connection: close}) and lets the requests already in flight
 * finish. {@link #drained} completes once none is left, or when the timeout passes; only then does
 * the server stop accepting. Requests the router lets through unlimited (health, metrics, the
 * dashboard's endless stream) are neither counted nor refused.
 *
 * <p>Threads: {@link #handle} runs on event loops; the count and the flag are atomics shared by all.
 */
public final class DrainGate implements Handler<RoutingContext> {

    /** How often {@link #drained} looks at the count; a stop waits at most this long after the last request. */
    private static final Duration POLL = Duration.ofMillis(20);

    private final AtomicBoolean draining;
    private final AtomicInteger inFlight = new AtomicInteger();

    public DrainGate(AtomicBoolean draining) {
        this.draining = draining;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (draining.get()) {
            ctx.response().putHeader("Connection", "close").putHeader("Retry-After", "1");
            ctx.fail(new ProblemException(Problem.of(
                    503, "draining", "Server is stopping", "The server is stopping; send the request elsewhere")));
            return;
        }
        inFlight.incrementAndGet();
        ctx.addEndHandler(ended -> inFlight.decrementAndGet());
        ctx.next();
    }

    /** Requests counted and not yet answered. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Completes when no counted request is in flight any more, or after {@code timeout} at the latest. */
    public Future<Void> drained(Vertx vertx, Duration timeout) {
        Promise<Void> done = Promise.promise();
        long deadline = System.nanoTime() + timeout.toNanos();
        poll(vertx, done, deadline);
        return done.future();
    }

    private void poll(Vertx vertx, Promise<Void> done, long deadline) {
        if (inFlight.get() <= 0 || System.nanoTime() - deadline >= 0) {
            done.complete();
        } else {
            vertx.setTimer(POLL.toMillis(), id -> poll(vertx, done, deadline));
        }
    }
}
