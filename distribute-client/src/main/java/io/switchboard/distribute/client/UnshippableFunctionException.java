package io.switchboard.distribute.client;

/**
 * A function (or an argument) cannot be shipped to a worker: something it captures is not
 * serializable, or its classes exceed the bundle's bounds. Thrown by {@link Distribute#computeThis}
 * and by {@code apply}, before anything is sent; the message names the culprit, e.g. {@code
 * captured value #1 (com.example.Config) -> field 'socket' (java.net.Socket) is not serializable}.
 */
public class UnshippableFunctionException extends IllegalArgumentException {

    public UnshippableFunctionException(String message) {
        super(message);
    }

    public UnshippableFunctionException(String message, Throwable cause) {
        super(message, cause);
    }
}
