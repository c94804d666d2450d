package io.switchboard.distribute.queue;

/** A task bigger than one message of the queue's engine can carry. */
public final class TaskTooLargeException extends RuntimeException {

    private final long limit;

    public TaskTooLargeException(long size, long limit) {
        super("the task is " + size + " bytes; the queue carries tasks up to " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
