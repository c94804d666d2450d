package io.switchboard.fanout;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls one {@link Upstream} several times in parallel or hedged, as a {@link FanoutPolicy} says,
 * and settles on the first success, all successes, or those within a deadline. This one component
 * implements all four endpoints of the fan-out service and is meant for any service that needs
 * hedged or parallel calls.
 *
 * <h2>Design</h2>
 *
 * Each {@link #run} is a small state machine ({@link FanoutRun}) with at most two timers, the
 * deadline and the hedge. When the run ends, for whatever reason, both timers are cancelled and
 * every attempt still in flight is cancelled at once through {@link Upstream.Call#cancel()}: a
 * finished fan-out leaves no timer, no pending request and no callback behind. {@link #inFlight()}
 * and {@link #pendingTimers()} count what is live, so tests (and a gauge) can check that nothing
 * leaks.
 *
 * <h2>Threading</h2>
 *
 * A run is confined to the Vert.x context it starts on (the event loop of the HTTP request that
 * caused it): attempts start there, their results and both timers complete there, so the state
 * machine needs no locks. A result that completes on another thread is moved onto the context
 * first. The counters are atomic because runs of many event loops share one {@code Fanout}.
 *
 * @param <T> the value of a successful attempt
 */
public final class Fanout<T> {

    private final Vertx vertx;
    private final Upstream<T> upstream;
    private final FanoutListener listener;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger pendingTimers = new AtomicInteger();
    private final AtomicInteger activeRuns = new AtomicInteger();

    public Fanout(Vertx vertx, Upstream<T> upstream, FanoutListener listener) {
        this.vertx = vertx;
        this.upstream = upstream;
        this.listener = listener;
    }

    /**
     * Runs one fan-out. The Future completes on the caller's Vert.x context, no later than {@code
     * deadline} after the call (plus scheduling delay), with a {@link FanoutResult} or a {@link
     * FanoutException}.
     *
     * @param requestId id of the request causing the fan-out, passed to the upstream and listener
     */
    public Future<FanoutResult<T>> run(FanoutPolicy policy, Duration deadline, String requestId) {
        return run(policy, deadline, requestId, Promise.<Void>promise().future());
    }

    /**
     * Like {@link #run(FanoutPolicy, Duration, String)}, but ends at once, cancelling every attempt
     * in flight, with {@link FanoutException.Reason#ABANDONED} when {@code abandoned} completes first
     * (e.g. when the HTTP client that asked went away).
     */
    // Whether this thread runs that very context (contexts have identity only).
    @SuppressWarnings("ReferenceEquality")
    public Future<FanoutResult<T>> run(FanoutPolicy policy, Duration deadline, String requestId, Future<?> abandoned) {
        if (deadline == null || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("fan-out deadline must be positive, was " + deadline);
        }
        Context context = vertx.getOrCreateContext();
        Promise<FanoutResult<T>> promise = Promise.promise();
        FanoutRun<T> run = new FanoutRun<>(this, context, policy, deadline, requestId, promise);
        Runnable start = () -> {
            run.start();
            abandoned.onComplete(ignored -> run.abandon());
        };
        if (Vertx.currentContext() == context) {
            start.run();
        } else {
            context.runOnContext(ignored -> start.run());
        }
        return promise.future();
    }

    /** Attempts started and not yet settled or cancelled, across all runs. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Deadline and hedge timers set and neither fired nor cancelled, across all runs. */
    public int pendingTimers() {
        return pendingTimers.get();
    }

    /** Runs started and not yet ended. */
    public int activeRuns() {
        return activeRuns.get();
    }

    Vertx vertx() {
        return vertx;
    }

    Upstream<T> upstream() {
        return upstream;
    }

    FanoutListener listener() {
        return listener;
    }

    AtomicInteger inFlightCounter() {
        return inFlight;
    }

    AtomicInteger pendingTimerCounter() {
        return pendingTimers;
    }

    AtomicInteger activeRunCounter() {
        return activeRuns;
    }
}
