package io.switchboard.distribute.queue;

/** The queue's engine cannot be reached or refused the operation; the client may retry later. */
public final class QueueUnavailableException extends RuntimeException {

    public QueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
