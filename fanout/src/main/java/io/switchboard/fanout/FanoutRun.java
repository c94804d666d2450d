package io.switchboard.fanout;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One fan-out, from the first attempt to the result. Confined to one Vert.x context (see {@link
 * Fanout}); every method runs on it.
 *
 * <p>Flow: {@link #start} fires the first wave and sets the deadline timer and, if the policy
 * hedges, the hedge timer. Each settled attempt goes through {@link #onSettled}, which checks the
 * goal: a success may end the run, a failure of the whole first wave fires the hedge early, the last
 * failure ends the run. {@link #end} is the only exit: it cancels the timers and the attempts still
 * in flight, then completes the promise.
 */
final class FanoutRun<T> {

    private static final long NO_TIMER = -1;

    private final Fanout<T> fanout;
    private final Context context;
    private final FanoutPolicy policy;
    private final Duration deadline;
    private final String requestId;
    private final Promise<FanoutResult<T>> promise;
    private final Vertx vertx;

    private final List<Upstream.Call<T>> calls = new ArrayList<>();
    private final List<Attempt> attempts = new ArrayList<>();
    private final List<Long> startedNanos = new ArrayList<>();
    private final List<Boolean> settled = new ArrayList<>();
    private final List<FanoutResult.Answer<T>> answers = new ArrayList<>();
    private final List<AttemptFailure> failures = new ArrayList<>();
    private int planned;
    private int settledCount;
    private long deadlineTimer = NO_TIMER;
    private long hedgeTimer = NO_TIMER;
    private boolean ended;

    FanoutRun(
            Fanout<T> fanout,
            Context context,
            FanoutPolicy policy,
            Duration deadline,
            String requestId,
            Promise<FanoutResult<T>> promise) {
        this.fanout = fanout;
        this.context = context;
        this.policy = policy;
        this.deadline = deadline;
        this.requestId = requestId;
        this.promise = promise;
        this.vertx = fanout.vertx();
    }

    void start() {
        fanout.activeRunCounter().incrementAndGet();
        deadlineTimer = setTimer(deadline.toMillis(), this::onDeadline);
        if (policy.hedges()) {
            hedgeTimer = setTimer(Math.max(1, policy.hedgeDelay().toMillis()), this::onHedgeDelay);
        }
        fire(policy.firstWave());
    }

    private void fire(int count) {
        // Planned before starting any, so that a synchronous failure of the first cannot look like
        // "every fired attempt failed" while the rest of the wave is still to start.
        int from = planned;
        planned += count;
        for (int i = from; i < from + count && !ended; i++) {
            startAttempt(new Attempt(requestId, i + 1, fanout.upstream().target()));
        }
    }

    private void startAttempt(Attempt attempt) {
        int slot = calls.size();
        attempts.add(attempt);
        startedNanos.add(System.nanoTime());
        settled.add(false);
        calls.add(null);
        fanout.inFlightCounter().incrementAndGet();
        fanout.listener().attemptStarted(attempt);
        Upstream.Call<T> call;
        try {
            call = fanout.upstream().start(attempt);
        } catch (RuntimeException e) {
            onSettled(slot, io.vertx.core.Future.failedFuture(e));
            return;
        }
        calls.set(slot, call);
        call.result().onComplete(result -> onContext(() -> onSettled(slot, result)));
    }

    private void onSettled(int slot, AsyncResult<T> result) {
        if (ended || settled.get(slot)) {
            return;
        }
        settled.set(slot, true);
        settledCount++;
        fanout.inFlightCounter().decrementAndGet();
        Attempt attempt = attempts.get(slot);
        Duration latency = Duration.ofNanos(System.nanoTime() - startedNanos.get(slot));
        if (result.succeeded()) {
            answers.add(new FanoutResult.Answer<>(attempt.index(), result.result()));
            fanout.listener().attemptSucceeded(attempt, latency);
        } else {
            AttemptFailure failure = toFailure(attempt, result.cause(), latency);
            failures.add(failure);
            fanout.listener().attemptFailed(failure);
        }
        checkGoal();
    }

    private void checkGoal() {
        boolean allPlannedSettled = settledCount == planned && calls.size() == planned;
        switch (policy.goal()) {
            case FIRST_SUCCESS -> {
                if (!answers.isEmpty()) {
                    succeed();
                } else if (allPlannedSettled && planned < policy.width()) {
                    fireHedge();
                } else if (allPlannedSettled) {
                    fail(FanoutException.Reason.ALL_FAILED);
                }
            }
            case ALL -> {
                if (settledCount == policy.width()) {
                    if (answers.isEmpty()) {
                        fail(FanoutException.Reason.ALL_FAILED);
                    } else {
                        succeed();
                    }
                } else if (allPlannedSettled && planned < policy.width()) {
                    fireHedge();
                }
            }
            case ALL_WITHIN_DEADLINE -> {
                if (settledCount == policy.width()) {
                    succeed();
                } else if (allPlannedSettled && planned < policy.width()) {
                    fireHedge();
                }
            }
        }
    }

    private void onHedgeDelay() {
        hedgeTimer = NO_TIMER;
        if (!ended && planned < policy.width()) {
            fireHedge();
        }
    }

    private void fireHedge() {
        cancelTimer(hedgeTimer);
        hedgeTimer = NO_TIMER;
        int count = policy.width() - planned;
        fanout.listener().hedgeFired(requestId, count);
        fire(count);
    }

    private void onDeadline() {
        deadlineTimer = NO_TIMER;
        if (ended) {
            return;
        }
        // Attempts still running lost to the clock: they count as failures (the backend was too slow).
        for (int slot = 0; slot < calls.size(); slot++) {
            if (!settled.get(slot)) {
                Attempt attempt = attempts.get(slot);
                Duration latency = Duration.ofNanos(System.nanoTime() - startedNanos.get(slot));
                AttemptFailure failure = new AttemptFailure(
                        attempt,
                        AttemptFailure.Kind.DEADLINE,
                        "no answer within the deadline of " + deadline.toMillis() + " ms",
                        latency);
                failures.add(failure);
                fanout.listener().attemptFailed(failure);
            }
        }
        if (policy.goal() == FanoutPolicy.Goal.ALL_WITHIN_DEADLINE) {
            succeed();
        } else {
            fail(FanoutException.Reason.DEADLINE);
        }
    }

    /** The caller went away: end now, cancelling what runs. Called on any thread. */
    void abandon() {
        onContext(() -> {
            if (!ended) {
                fail(FanoutException.Reason.ABANDONED);
            }
        });
    }

    private void succeed() {
        end();
        FanoutResult<T> result = new FanoutResult<>(requestId, answers, calls.size(), failures);
        fanout.listener().succeeded(result);
        promise.complete(result);
    }

    private void fail(FanoutException.Reason reason) {
        end();
        FanoutException failure =
                new FanoutException(reason, requestId, deadline, calls.size(), answers.size(), failures);
        fanout.listener().failed(failure);
        promise.fail(failure);
    }

    /** The only exit: timers off, losers cancelled, counters back. */
    private void end() {
        ended = true;
        cancelTimer(deadlineTimer);
        cancelTimer(hedgeTimer);
        deadlineTimer = NO_TIMER;
        hedgeTimer = NO_TIMER;
        for (int slot = 0; slot < calls.size(); slot++) {
            if (!settled.get(slot)) {
                settled.set(slot, true);
                fanout.inFlightCounter().decrementAndGet();
                Upstream.Call<T> call = calls.get(slot);
                if (call != null) {
                    call.cancel();
                }
                fanout.listener().attemptCancelled(attempts.get(slot));
            }
        }
        fanout.activeRunCounter().decrementAndGet();
    }

    private static AttemptFailure toFailure(Attempt attempt, Throwable cause, Duration latency) {
        if (cause instanceof AttemptFailedException known) {
            return new AttemptFailure(attempt, known.kind(), known.getMessage(), latency);
        }
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new AttemptFailure(attempt, AttemptFailure.Kind.CONNECTION, "connection failed: " + detail, latency);
    }

    private long setTimer(long delayMillis, Runnable action) {
        fanout.pendingTimerCounter().incrementAndGet();
        return vertx.setTimer(delayMillis, id -> {
            fanout.pendingTimerCounter().decrementAndGet();
            action.run();
        });
    }

    private void cancelTimer(long id) {
        if (id != NO_TIMER && vertx.cancelTimer(id)) {
            fanout.pendingTimerCounter().decrementAndGet();
        }
    }

    // Whether this thread runs that very context (contexts have identity only).
    @SuppressWarnings("ReferenceEquality")
    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }
}
