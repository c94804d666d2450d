package io.switchboard.distribute.client;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An exception thrown by a function on a worker, rebuilt on the client: its class name, message and
 * stack trace are the remote ones, and so are its causes (each a {@code RemoteException} too). The
 * remote class itself is not instantiated, because it may not exist here and constructing
 * arbitrary classes from a server's answer is unsafe; {@link #remoteClassName()} names it.
 *
 * <p>It prints like the original ({@code java.lang.IllegalStateException: boom} followed by the
 * worker's frames), so stack traces read naturally in logs.
 */
public class RemoteException extends RuntimeException {

    private final String remoteClassName;

    // setStackTrace is Throwable's own, safe before a subclass's constructor runs.
    @SuppressWarnings("this-escape")
    public RemoteException(
            String remoteClassName,
            @Nullable String message,
            StackTraceElement[] stack,
            @Nullable RemoteException cause) {
        super(message, cause, false, true);
        this.remoteClassName = Objects.requireNonNull(remoteClassName, "remoteClassName");
        setStackTrace(stack);
    }

    /** The binary name of the exception's class on the worker, e.g. {@code java.lang.IllegalStateException}. */
    public String remoteClassName() {
        return remoteClassName;
    }

    // Prints as the worker's exception class would (not as RemoteException), so that logged stack
    // traces read like the original; getMessage stays the plain message.
    @SuppressWarnings("OverrideThrowableToString")
    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return message == null ? remoteClassName : remoteClassName + ": " + message;
    }
}
