package io.switchboard.platform.limit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Refuses requests beyond a number in flight with 503 and {@code Retry-After}, at once. Queueing
 * without bound would only turn overload into timeouts for everyone; refusing early keeps latency
 * of admitted requests flat and tells clients to back off.
 *
 * <p>The same class serves the global limit (all routes) and per-route limits (mounted on one
 * route with its own name and number).
 */
public final class ConcurrencyLimit implements Handler<RoutingContext> {

    /** Advertised to refused clients; short, because capacity frees up as requests finish. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final String name;
    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter refused;

    public ConcurrencyLimit(String name, int limit, MeterRegistry registry) {
        if (limit < 1) {
            throw new IllegalArgumentException("concurrency limit '" + name + "' must be at least 1, was " + limit);
        }
        this.name = name;
        this.limit = limit;
        Gauge.builder("requests.in.flight", inFlight, AtomicInteger::get)
                .description("Requests being processed under a concurrency limit")
                .tag("limit", name)
                .register(registry);
        this.refused = Counter.builder("requests.refused")
                .description("Requests refused because a concurrency limit was reached")
                .tag("limit", name)
                .register(registry);
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!tryAcquire()) {
            refused.increment();
            ctx.fail(ProblemException.overloaded(
                    "More than " + limit + " requests are in flight (" + name + " limit); retry shortly", RETRY_AFTER));
            return;
        }
        // Vert.x runs the end handler exactly once, whether the response was written, failed, or the
        // client left first; the guard keeps a release from ever being counted twice.
        AtomicInteger released = new AtomicInteger();
        Handler<Void> release = ignored -> {
            if (released.compareAndSet(0, 1)) {
                inFlight.decrementAndGet();
            }
        };
        ctx.addEndHandler(done -> release.handle(null));
        ctx.next();
    }

    private boolean tryAcquire() {
        while (true) {
            int current = inFlight.get();
            if (current >= limit) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Requests currently admitted. */
    public int inFlight() {
        return inFlight.get();
    }
}
