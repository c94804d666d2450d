package io.switchboard.distribute.client;

import org.jspecify.annotations.Nullable;

/**
 * The server refused a request (400, 401, 403, 413, 404 on an expired task, 429 after the
 * retries...) or could not be reached. It says nothing about the function itself: a function that
 * ran and failed ends in {@link TaskFailedException} instead.
 */
public class DistributeException extends RuntimeException {

    private final int status;
    private final @Nullable Problem problem;

    /**
     * @param status the HTTP status, or 0 when no answer came
     * @param problem the server's problem document, or null when it sent none
     */
    public DistributeException(String message, int status, @Nullable Problem problem, @Nullable Throwable cause) {
        super(message, cause);
        this.status = status;
        this.problem = problem;
    }

    /** The HTTP status of the answer, or 0 when no answer came (connection refused, closed client). */
    public int status() {
        return status;
    }

    /** The server's problem document, or null when the answer carried none. */
    public @Nullable Problem problem() {
        return problem;
    }
}
