package io.switchboard.distribute.dispatch;

/** The queue holds its capacity of tasks; the client should retry later (429). */
public final class QueueFullException extends RuntimeException {

    public QueueFullException(int capacity) {
        super("the queue holds its capacity of " + capacity + " tasks; retry shortly", null, false, false);
    }
}
