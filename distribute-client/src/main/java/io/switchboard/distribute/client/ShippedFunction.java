package io.switchboard.distribute.client;

import io.switchboard.distribute.client.internal.Bundle;
import io.switchboard.distribute.client.internal.CaptureChecker;
import io.switchboard.distribute.client.internal.Invocation;
import io.switchboard.distribute.client.internal.SerializedInvocation;
import java.io.IOException;
import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A function checked and bundled for shipping: {@link #ship} serializes it once (which proves it
 * can travel) and builds the bundle of its classes; {@link #invocation} then serializes it with its
 * arguments for each task.
 *
 * <p>Arguments of the JDK's types (numbers, strings, collections of them) travel in the function's
 * own bundle. An argument of a user-defined class the bundle lacks needs a bundle of its own: it is
 * built once per set of such classes and cached here, so a stream of calls with the same kinds of
 * arguments uploads one bundle.
 *
 * <p>Thread-safe: the function is never mutated, and the cache is concurrent.
 */
final class ShippedFunction {

    private final Serializable function;
    private final int arity;
    private final String description;
    private final BundleBuilder builder;
    private final Set<Class<?>> roots;
    private final Bundle bundle;
    private final Map<Set<Class<?>>, Bundle> bundlesWithArguments = new ConcurrentHashMap<>();

    private ShippedFunction(
            Serializable function, int arity, String description, BundleBuilder builder, Set<Class<?>> roots) {
        this.function = function;
        this.arity = arity;
        this.description = description;
        this.builder = builder;
        this.roots = roots;
        this.bundle = build(roots);
    }

    /**
     * Checks that {@code function} can be shipped and bundles its classes.
     *
     * @param arity how many arguments it takes: 0 (supplier), 1 or 2
     * @throws UnshippableFunctionException naming what cannot be serialized, or the bundle's excess
     */
    public static ShippedFunction ship(Serializable function, int arity, BundleBuilder builder) {
        String description = CaptureChecker.describe(function);
        Invocation bare = new Invocation(arity, function, null, null);
        SerializedInvocation serialized;
        try {
            serialized = SerializedInvocation.of(bare);
        } catch (IOException | RuntimeException e) {
            String culprit = CaptureChecker.culpritInFunction(function).orElse(String.valueOf(e));
            throw new UnshippableFunctionException("cannot ship " + description + ": " + culprit, e);
        }
        return new ShippedFunction(function, arity, description, builder, shippable(serialized.classes()));
    }

    /** The bundle of the function alone. */
    public Bundle bundle() {
        return bundle;
    }

    /** How messages name the function, e.g. {@code lambda in com.example.App.main}. */
    public String description() {
        return description;
    }

    /** The loader of the function's classes: results are deserialized through it. */
    public ClassLoader classLoader() {
        ClassLoader loader = function.getClass().getClassLoader();
        return loader != null ? loader : ClassLoader.getSystemClassLoader();
    }

    /**
     * The payload of one call and the bundle it needs.
     *
     * @throws UnshippableFunctionException when an argument cannot be serialized or bundled
     */
    public Shipment invocation(@Nullable Object first, @Nullable Object second) {
        SerializedInvocation serialized;
        try {
            serialized = SerializedInvocation.of(new Invocation(arity, function, first, second));
        } catch (IOException | RuntimeException e) {
            String culprit = CaptureChecker.culpritInValue("argument #1", first)
                    .or(() -> CaptureChecker.culpritInValue("argument #2", second))
                    .orElse(String.valueOf(e));
            throw new UnshippableFunctionException("cannot ship the arguments of " + description + ": " + culprit, e);
        }
        Set<Class<?>> needed = shippable(serialized.classes());
        List<String> names = needed.stream().map(BundleBuilder::internalName).toList();
        if (bundle.holdsAll(names)) {
            return new Shipment(bundle, serialized.bytes());
        }
        Bundle withArguments = bundlesWithArguments.computeIfAbsent(needed, this::buildWithRoots);
        return new Shipment(withArguments, serialized.bytes());
    }

    private Bundle buildWithRoots(Set<Class<?>> argumentClasses) {
        Set<Class<?>> all = new LinkedHashSet<>(roots);
        all.addAll(argumentClasses);
        return build(all);
    }

    private Bundle build(Set<Class<?>> classes) {
        try {
            return builder.build(classes);
        } catch (UnshippableFunctionException e) {
            throw new UnshippableFunctionException("cannot ship " + description + ": " + e.getMessage(), e);
        }
    }

    private static Set<Class<?>> shippable(Set<Class<?>> classes) {
        return classes.stream()
                .filter(BundleBuilder::needsShipping)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * One call ready to submit.
     *
     * @param bundle the bundle the worker needs
     * @param payload the serialized {@link Invocation}
     */
    public record Shipment(Bundle bundle, byte[] payload) {}
}
