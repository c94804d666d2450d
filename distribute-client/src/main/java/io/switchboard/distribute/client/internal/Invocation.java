package io.switchboard.distribute.client.internal;

import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The payload of a "java" task: a shipped function and its arguments, which the worker
 * deserializes and {@link #call() calls}. It is the one object the payload holds, so the worker
 * needs nothing but the bundle and this jar to run it.
 *
 * <p>Arguments are separate fields rather than an {@code Object[]}: the worker's deserialization
 * filter allows few JDK types, and two fields keep the payload within them. A record, because
 * records deserialize through their canonical constructor and ignore {@code serialVersionUID}, so a
 * worker with a slightly different client jar still reads it.
 *
 * <p>It checks the function against the JDK interfaces the client's {@code Serializable*} types
 * extend rather than those types themselves: this package sits below the client's API and never
 * reads it, which keeps the two packages free of a cycle (its binary name is part of the payload,
 * so it stays here).
 *
 * @param arity 0 for a {@code SerializableSupplier}, 1 for a {@code SerializableFunction}, 2 for a
 *     {@code SerializableBiFunction}
 * @param function the user's function
 * @param first the first argument (arity 1 and 2), else null
 * @param second the second argument (arity 2), else null
 */
public record Invocation(
        int arity,
        Serializable function,
        @Nullable Object first,
        @Nullable Object second) implements Callable<Object>, Serializable {

    public Invocation {
        Objects.requireNonNull(function, "function");
        boolean matches = switch (arity) {
            case 0 -> function instanceof Supplier<?>;
            case 1 -> function instanceof Function<?, ?>;
            case 2 -> function instanceof BiFunction<?, ?, ?>;
            default -> false;
        };
        if (!matches) {
            throw new IllegalArgumentException("arity " + arity + " does not match the function's type "
                    + function.getClass().getName());
        }
    }

    /** Runs the function on the arguments; what it throws reaches the worker unchanged. */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object call() {
        return switch (arity) {
            case 0 -> ((Supplier) function).get();
            case 1 -> ((Function) function).apply(first);
            default -> ((BiFunction) function).apply(first, second);
        };
    }
}
