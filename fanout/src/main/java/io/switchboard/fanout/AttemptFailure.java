package io.switchboard.fanout;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Why one attempt did not succeed.
 *
 * @param attempt the attempt
 * @param kind the class of failure
 * @param detail what happened, for a person (e.g. {@code "status 500"})
 * @param latency time from firing the attempt to its failure
 */
public record AttemptFailure(
        Attempt attempt, Kind kind, @Nullable String detail, Duration latency) {

    /** Classes of failure; {@link #label()} is used in metrics and the error log. */
    public enum Kind {
        /** The upstream answered with a status that is not a success. */
        STATUS("status"),
        /** The upstream answered a success status with a body that fails the success check. */
        INVALID_BODY("invalid_body"),
        /** No answer within the upstream timeout. */
        TIMEOUT("timeout"),
        /** Still running when the fan-out's deadline passed; cut off. */
        DEADLINE("deadline"),
        /** Connecting, sending or reading failed (refused, reset, closed). */
        CONNECTION("connection");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One short phrase: {@code "#2 status 500"}. */
    public String describe() {
        return "#" + attempt.index() + " " + detail;
    }
}
