package io.switchboard.fanout;

import java.time.Duration;

/**
 * Observes a fan-out: metrics and the backend error log are listeners. Every method has an empty
 * default, so a listener implements only what it needs. Methods are called on the fan-out's Vert.x
 * event loop and must not block.
 */
public interface FanoutListener {

    /** No-op listener. */
    FanoutListener NONE = new FanoutListener() {};

    default void attemptStarted(Attempt attempt) {}

    default void attemptSucceeded(Attempt attempt, Duration latency) {}

    /** An attempt failed, or was cut off at the deadline ({@link AttemptFailure.Kind#DEADLINE}). */
    default void attemptFailed(AttemptFailure failure) {}

    /** An attempt lost: another one already gave the fan-out its result, so it was cancelled. */
    default void attemptCancelled(Attempt attempt) {}

    /** The hedge fired {@code count} more attempts. */
    default void hedgeFired(String requestId, int count) {}

    default void succeeded(FanoutResult<?> result) {}

    default void failed(FanoutException failure) {}

    /** Both listeners, in order. */
    static FanoutListener both(FanoutListener first, FanoutListener second) {
        return new FanoutListener() {
            @Override
            public void attemptStarted(Attempt attempt) {
                first.attemptStarted(attempt);
                second.attemptStarted(attempt);
            }

            @Override
            public void attemptSucceeded(Attempt attempt, Duration latency) {
                first.attemptSucceeded(attempt, latency);
                second.attemptSucceeded(attempt, latency);
            }

            @Override
            public void attemptFailed(AttemptFailure failure) {
                first.attemptFailed(failure);
                second.attemptFailed(failure);
            }

            @Override
            public void attemptCancelled(Attempt attempt) {
                first.attemptCancelled(attempt);
                second.attemptCancelled(attempt);
            }

            @Override
            public void hedgeFired(String requestId, int count) {
                first.hedgeFired(requestId, count);
                second.hedgeFired(requestId, count);
            }

            @Override
            public void succeeded(FanoutResult<?> result) {
                first.succeeded(result);
                second.succeeded(result);
            }

            @Override
            public void failed(FanoutException failure) {
                first.failed(failure);
                second.failed(failure);
            }
        };
    }
}
