package io.switchboard.eye.client;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.LongUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Which failures are worth another attempt, and how long to wait before it: exponential backoff
 * with full jitter (a random delay in {@code [0, min(max, initial * 2^retry)]}, so clients that
 * failed together do not retry together), never shorter than the server's {@code Retry-After}.
 *
 * @param maxRetries attempts after the first one
 * @param initial the first retry's bound
 * @param max the largest bound
 * @param clock what an HTTP-date {@code Retry-After} is measured against
 * @param random a uniform random long in {@code [0, bound)} for a given bound
 */
record RetryPolicy(int maxRetries, Duration initial, Duration max, Clock clock, LongUnaryOperator random) {

    /** Statuses that say "not now" rather than "never". */
    static final Set<Integer> RETRYABLE_STATUSES = Set.of(429, 500, 502, 503, 504);

    /** Whether an answer with {@code status} (0: no answer, a connection error or a timeout) may be retried. */
    static boolean retryable(int status) {
        return status == 0 || RETRYABLE_STATUSES.contains(status);
    }

    /** Whether {@code retry} (0-based) more attempts are still allowed. */
    boolean allows(int retry) {
        return retry < maxRetries;
    }

    /**
     * The wait before retry number {@code retry + 1}.
     *
     * @param retryAfter the answer's {@code Retry-After} header, or null
     */
    Duration delay(int retry, @Nullable String retryAfter) {
        long bound = Math.min(max.toMillis(), initial.toMillis() << Math.min(retry, 20));
        Duration jittered = Duration.ofMillis(random.applyAsLong(bound + 1));
        Duration asked = RetryAfter.parse(retryAfter, clock).orElse(Duration.ZERO);
        return asked.compareTo(jittered) > 0 ? asked : jittered;
    }
}
