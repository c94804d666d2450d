package io.switchboard.distribute.client;

/**
 * A {@link SerializableBiFunction} shipped by {@link Distribute#computeThis}: {@link #apply}
 * gives a {@link RemoteCall} that runs it on a worker. Thread-safe.
 *
 * @param <T> the first argument's type
 * @param <U> the second argument's type
 * @param <R> the result's type
 */
public final class RemoteBiFunction<T, U, R> {

    private final ShippedFunction shipped;
    private final TaskClient client;
    private final ResultDecoder<R> decoder;

    RemoteBiFunction(ShippedFunction shipped, TaskClient client, ResultDecoder<R> decoder) {
        this.shipped = shipped;
        this.client = client;
        this.decoder = decoder;
    }

    /**
     * The call of the function on the two arguments; nothing is sent until it runs.
     *
     * @throws UnshippableFunctionException when an argument cannot be serialized
     */
    public RemoteCall<R> apply(T first, U second) {
        return new RemoteCall<>(client, TaskRequest.java(shipped.invocation(first, second)), decoder);
    }

    /** The id (SHA-256) of the bundle of the function's classes. */
    public String bundleId() {
        return shipped.bundle().id();
    }

    @Override
    public String toString() {
        return "RemoteBiFunction[" + shipped.description() + ", bundle " + bundleId() + "]";
    }
}
