package io.switchboard.platform.problem;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Fails a request with a {@link Problem}. Steps throw it (or fail a Future with it) and the
 * platform's single failure handler turns it into the answer, so each service maps failures to
 * statuses in exactly one place.
 */
public class ProblemException extends RuntimeException {

    private final Problem problem;
    private final @Nullable Duration retryAfter;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    /** A problem the client may retry after {@code retryAfter} (sent as {@code Retry-After}). */
    public ProblemException(Problem problem, @Nullable Duration retryAfter) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public Problem problem() {
        return problem;
    }

    /** Delay to advertise in {@code Retry-After}, or null. */
    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    public static ProblemException invalidParameter(String parameter, @Nullable String detail) {
        return new ProblemException(Problem.invalidParameter(parameter, detail));
    }

    /** 503: the server is at capacity; retry after the given delay. */
    public static ProblemException overloaded(String detail, Duration retryAfter) {
        return new ProblemException(Problem.of(503, "overloaded", "Service overloaded", detail), retryAfter);
    }
}
