package io.switchboard.distribute.queue;

import org.jspecify.annotations.Nullable;

/** The queue's engine cannot be reached or refused the operation; the client may retry later. */
public final class QueueUnavailableException extends RuntimeException {

    public QueueUnavailableException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
