package io.switchboard.compute.math;

import java.util.concurrent.CancellationException;

/**
 * Lets a long computation stop early when nobody waits for its result any more. Algorithms call
 * {@link #check()} between their big steps (one multiplication each), which bounds the work wasted
 * after cancellation to one step.
 */
@FunctionalInterface
public interface Cancellation {

    /** Never cancelled; for callers that always want the result. */
    Cancellation NONE = () -> false;

    boolean isCancelled();

    default void check() {
        if (isCancelled()) {
            throw new CancellationException("computation cancelled: no client waits for it");
        }
    }
}
