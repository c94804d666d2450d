package io.switchboard.distribute.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.distribute.client.internal.Bundle;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connection to a distribute server: it runs this application's functions on the server's
 * worker processes.
 *
 * <pre>{@code
 * try (Distribute sb = Distribute.connect("http://127.0.0.1:8080", token)) {
 *     RemoteFunction<Integer, Integer> square = sb.computeThis((SerializableFunction<Integer, Integer>) x -> x * x);
 *     int four = square.apply(2).run();
 *     CompletableFuture<Integer> nine = square.apply(3).runAsync();
 * }
 * }</pre>
 *
 * <p>{@code computeThis} checks, on the spot, that the function can be shipped (everything it
 * captures is serializable) and bundles the class files it needs; nothing is sent before a call
 * runs. A run uploads the bundle unless this client already did, submits the task and waits for
 * its end. See the module's README for what can be shipped and why.
 *
 * <p>Connecting does not touch the network. Thread-safe; share one instance: it holds one HTTP
 * client whose connections all calls reuse. {@link #close} stops it, failing calls still waiting.
 */
public final class Distribute implements AutoCloseable {

    private final TaskClient client;
    private final BundleBuilder builder = new BundleBuilder();

    /** The bundles of classes called by name, so that each is built once. */
    private final Map<Class<?>, Bundle> classBundles = new ConcurrentHashMap<>();

    private Distribute(TaskClient client) {
        this.client = client;
    }

    /**
     * A client of the server at {@code url} (e.g. {@code http://127.0.0.1:8080}).
     *
     * @param token the bearer token, or null when the server has none (it then accepts loopback only)
     */
    public static Distribute connect(String url, String token) {
        Objects.requireNonNull(url, "url");
        return connect(URI.create(url), token);
    }

    /**
     * A client of the server at {@code url}.
     *
     * @param token the bearer token, or null when the server has none (it then accepts loopback only)
     */
    public static Distribute connect(URI url, String token) {
        Objects.requireNonNull(url, "url");
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("url must look like http://host:port, was " + url);
        }
        return new Distribute(new TaskClient(url, token, TaskClient.DEFAULT_MAX_IN_FLIGHT));
    }

    /**
     * Ships {@code function}: checks that it can be serialized and bundles its classes.
     *
     * @throws UnshippableFunctionException naming what it captures that cannot be serialized
     */
    public <T, R> RemoteFunction<T, R> computeThis(SerializableFunction<T, R> function) {
        Objects.requireNonNull(function, "function");
        ShippedFunction shipped = ShippedFunction.ship(function, 1, builder);
        return new RemoteFunction<>(shipped, client, javaResults(shipped));
    }

    /**
     * Ships a two-argument {@code function}.
     *
     * @throws UnshippableFunctionException naming what it captures that cannot be serialized
     */
    public <T, U, R> RemoteBiFunction<T, U, R> computeThis(SerializableBiFunction<T, U, R> function) {
        Objects.requireNonNull(function, "function");
        ShippedFunction shipped = ShippedFunction.ship(function, 2, builder);
        return new RemoteBiFunction<>(shipped, client, javaResults(shipped));
    }

    /**
     * Ships {@code supplier}.
     *
     * @throws UnshippableFunctionException naming what it captures that cannot be serialized
     */
    public <R> RemoteSupplier<R> computeThis(SerializableSupplier<R> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        ShippedFunction shipped = ShippedFunction.ship(supplier, 0, builder);
        return new RemoteSupplier<>(shipped, client, javaResults(shipped));
    }

    /**
     * A call of one of the server's built-in functions ({@code echo}, {@code sleep}, {@code noop},
     * {@code fail}) with JSON arguments (converted by Jackson); the value is the JSON result.
     */
    public RemoteCall<JsonNode> call(String function, Object... args) {
        Objects.requireNonNull(function, "function");
        if (function.equals("java") || function.contains("::")) {
            throw new IllegalArgumentException("call(String, ...) runs built-in functions, not '" + function
                    + "': ship Java with computeThis, call(Class, method, ...) or callInBundle");
        }
        return new RemoteCall<>(client, TaskRequest.named(function, null, null, args), Results.json());
    }

    /**
     * A call of the public static method {@code method} of {@code type} with JSON arguments; the
     * classes of {@code type} are bundled and uploaded as for a shipped function.
     */
    public RemoteCall<JsonNode> call(Class<?> type, String method, Object... args) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(method, "method");
        if (!BundleBuilder.needsShipping(type)) {
            throw new IllegalArgumentException(
                    type.getName() + " is the JDK's or this client's: workers call only classes shipped in a bundle");
        }
        Bundle bundle = classBundles.computeIfAbsent(type, t -> builder.build(List.of(t)));
        return new RemoteCall<>(
                client, TaskRequest.named(type.getName() + "::" + method, bundle, null, args), Results.json());
    }

    /**
     * A call of {@code function} ({@code com.example.Tasks::square}) in a bundle the server already
     * holds, known by its id. If the server evicted it and this client did not build it, the call
     * fails with a 422 {@link DistributeException}.
     */
    public RemoteCall<JsonNode> callInBundle(String bundleId, String function, Object... args) {
        Objects.requireNonNull(bundleId, "bundleId");
        Objects.requireNonNull(function, "function");
        return new RemoteCall<>(client, TaskRequest.named(function, null, bundleId, args), Results.json());
    }

    /** Stops the HTTP client at once: calls still waiting fail with {@link DistributeException}. */
    @Override
    public void close() {
        client.close();
    }

    @SuppressWarnings("unchecked")
    private static <R> ResultDecoder<R> javaResults(ShippedFunction shipped) {
        return (ResultDecoder<R>) Results.java(shipped.classLoader());
    }
}
