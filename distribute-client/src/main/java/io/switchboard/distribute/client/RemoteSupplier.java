package io.switchboard.distribute.client;

/**
 * A {@link SerializableSupplier} shipped by {@link Distribute#computeThis}: {@link #get} gives a
 * {@link RemoteCall} that runs it on a worker. Thread-safe.
 *
 * @param <R> the result's type
 */
public final class RemoteSupplier<R> {

    private final ShippedFunction shipped;
    private final TaskClient client;
    private final ResultDecoder<R> decoder;

    RemoteSupplier(ShippedFunction shipped, TaskClient client, ResultDecoder<R> decoder) {
        this.shipped = shipped;
        this.client = client;
        this.decoder = decoder;
    }

    /** The call of the supplier; nothing is sent until it runs. */
    public RemoteCall<R> get() {
        return new RemoteCall<>(client, TaskRequest.java(shipped.invocation(null, null)), decoder);
    }

    /** The id (SHA-256) of the bundle of the supplier's classes. */
    public String bundleId() {
        return shipped.bundle().id();
    }

    @Override
    public String toString() {
        return "RemoteSupplier[" + shipped.description() + ", bundle " + bundleId() + "]";
    }
}
