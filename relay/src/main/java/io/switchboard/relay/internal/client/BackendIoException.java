package io.switchboard.relay.internal.client;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Why the client got no (complete) answer: no connection, a connection the backend closed, an
 * answer that could not be decoded, or no data within a timeout. The relay maps these to its own
 * failure kinds; {@link #timeout()} is what tells a 504 from a 502.
 */
public final class BackendIoException extends IOException {

    private final boolean timeout;

    BackendIoException(String message, boolean timeout, @Nullable Throwable cause) {
        super(message, cause);
        this.timeout = timeout;
    }

    /** Whether the backend was too slow (connecting, or answering) rather than unreachable or broken. */
    public boolean timeout() {
        return timeout;
    }
}
