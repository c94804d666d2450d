package io.switchboard.distribute.dispatch;

/** The dispatcher is shutting down and takes no new task (503). */
public final class NotAcceptingException extends RuntimeException {

    public NotAcceptingException() {
        super("the server is shutting down and accepts no new task", null, false, false);
    }
}
