package io.switchboard.distribute.client;

/**
 * A {@link SerializableFunction} shipped by {@link Distribute#computeThis}: {@link #apply} gives
 * a {@link RemoteCall} that runs it on a worker. Thread-safe; keep it and apply it many times.
 *
 * @param <T> the argument's type
 * @param <R> the result's type
 */
public final class RemoteFunction<T, R> {

    private final ShippedFunction shipped;
    private final TaskClient client;
    private final ResultDecoder<R> decoder;

    RemoteFunction(ShippedFunction shipped, TaskClient client, ResultDecoder<R> decoder) {
        this.shipped = shipped;
        this.client = client;
        this.decoder = decoder;
    }

    /**
     * The call of the function on {@code argument}; nothing is sent until it runs.
     *
     * @throws UnshippableFunctionException when the argument cannot be serialized
     */
    public RemoteCall<R> apply(T argument) {
        return new RemoteCall<>(client, TaskRequest.java(shipped.invocation(argument, null)), decoder);
    }

    /** The id (SHA-256) of the bundle of the function's classes. */
    public String bundleId() {
        return shipped.bundle().id();
    }

    @Override
    public String toString() {
        return "RemoteFunction[" + shipped.description() + ", bundle " + bundleId() + "]";
    }
}
