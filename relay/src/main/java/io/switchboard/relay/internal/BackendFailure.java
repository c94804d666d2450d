package io.switchboard.relay.internal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Why the relay could not get an answer from its backend. Steps fail their Future with this; {@link
 * RealRelay} maps it to a 502/503/504 problem in one place.
 */
public final class BackendFailure extends RuntimeException {

    /** What went wrong, with the status the client gets for it. */
    public enum Kind {
        /** Connection refused, reset or closed before an answer: 502. */
        UNAVAILABLE(502),
        /** No connection or no answer within the configured timeouts: 504. */
        TIMEOUT(504),
        /** The relay's own limit on backend requests in flight is reached: 503. */
        BUSY(503),
        /** The backend asked (Retry-After) not to be called before a moment still ahead: 503. */
        RATE_LIMITED(503);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;
    private final @Nullable Duration retryAfter;

    public BackendFailure(Kind kind, String detail, @Nullable Duration retryAfter, @Nullable Throwable cause) {
        super(detail, cause, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** Delay to advertise to the client, or null. */
    public @Nullable Duration retryAfter() {
        return retryAfter;
    }
}
