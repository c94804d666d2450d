package io.switchboard.eye.client;

import org.jspecify.annotations.Nullable;

/**
 * An event the eye refused for good (400, 401, 413, ...) or that could not be delivered within
 * the retries. {@link #status()} is the last HTTP status, or 0 when no answer came.
 */
public class EyeClientException extends RuntimeException {

    private final int status;

    public EyeClientException(int status, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
