package io.switchboard.compute.execution;

import java.util.concurrent.CompletableFuture;

/**
 * One caller's claim on a (possibly shared) computation.
 *
 * @param result completes with the value, or exceptionally if the computation failed or was
 *     cancelled
 * @param source where the result comes from, for metrics and the answer's {@code source} field
 * @param abandon call when the caller stops waiting (client gone); the computation is cancelled
 *     once no caller waits for it
 */
public record Ticket(CompletableFuture<ComputedResult> result, Source source, Runnable abandon) {

    /** How a request's result is obtained. */
    public enum Source {
        /** Taken from the cache of recent results. */
        CACHE,
        /** Joined an identical computation already in flight. */
        SHARED,
        /** Started a new computation. */
        COMPUTED
    }
}
