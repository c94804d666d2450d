package io.switchboard.fanout;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** A fan-out that ended without the result its goal asks for. Stackless: it is a normal outcome. */
public final class FanoutException extends RuntimeException {

    /** Why the fan-out failed. */
    public enum Reason {
        /** The deadline passed first. */
        DEADLINE,
        /** Every attempt failed (for {@link FanoutPolicy.Goal#ALL}: none succeeded). */
        ALL_FAILED,
        /** The caller gave up first (e.g. the HTTP client disconnected). */
        ABANDONED
    }

    private final Reason reason;
    private final String requestId;
    private final int fired;
    private final int succeeded;
    private final List<AttemptFailure> failures;

    public FanoutException(
            Reason reason,
            String requestId,
            Duration deadline,
            int fired,
            int succeeded,
            List<AttemptFailure> failures) {
        super(message(reason, deadline, fired, succeeded, failures), null, false, false);
        this.reason = reason;
        this.requestId = requestId;
        this.fired = fired;
        this.succeeded = succeeded;
        this.failures = List.copyOf(failures);
    }

    private static String message(
            Reason reason, Duration deadline, int fired, int succeeded, List<AttemptFailure> failures) {
        String failed = failures.isEmpty()
                ? ""
                : ": " + failures.stream().map(AttemptFailure::describe).collect(Collectors.joining(", "));
        return switch (reason) {
            case DEADLINE ->
                "The deadline of " + deadline.toMillis() + " ms passed with " + fired + " attempt(s) fired, "
                        + succeeded + " succeeded and " + failures.size() + " failed" + failed;
            case ALL_FAILED -> "All " + fired + " attempt(s) failed" + failed;
            case ABANDONED -> "The caller abandoned the fan-out after " + fired + " attempt(s)";
        };
    }

    public Reason reason() {
        return reason;
    }

    public String requestId() {
        return requestId;
    }

    public int fired() {
        return fired;
    }

    public int succeeded() {
        return succeeded;
    }

    public List<AttemptFailure> failures() {
        return failures;
    }
}
