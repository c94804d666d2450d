package io.switchboard.distribute.client.internal;

import io.switchboard.distribute.client.SerializableBiFunction;
import io.switchboard.distribute.client.SerializableFunction;
import io.switchboard.distribute.client.SerializableSupplier;
import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.Callable;

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
 * @param arity 0 for a {@link SerializableSupplier}, 1 for a {@link SerializableFunction}, 2 for a
 *     {@link SerializableBiFunction}
 * @param function the user's function
 * @param first the first argument (arity 1 and 2), else null
 * @param second the second argument (arity 2), else null
 */
public record Invocation(int arity, Serializable function, Object first, Object second)
        implements Callable<Object>, Serializable {

    public Invocation {
        Objects.requireNonNull(function, "function");
        boolean matches = switch (arity) {
            case 0 -> function instanceof SerializableSupplier<?>;
            case 1 -> function instanceof SerializableFunction<?, ?>;
            case 2 -> function instanceof SerializableBiFunction<?, ?, ?>;
            default -> false;
        };
        if (!matches) {
            throw new IllegalArgumentException("arity " + arity + " does not match the function's type "
                    + function.getClass().getName());
        }
    }

    /** An invocation of a supplier. */
    public static Invocation of(SerializableSupplier<?> supplier) {
        return new Invocation(0, supplier, null, null);
    }

    /** An invocation of a function on {@code argument}. */
    public static Invocation of(SerializableFunction<?, ?> function, Object argument) {
        return new Invocation(1, function, argument, null);
    }

    /** An invocation of a two-argument function. */
    public static Invocation of(SerializableBiFunction<?, ?, ?> function, Object first, Object second) {
        return new Invocation(2, function, first, second);
    }

    /** Runs the function on the arguments; what it throws reaches the worker unchanged. */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object call() {
        return switch (arity) {
            case 0 -> ((SerializableSupplier) function).get();
            case 1 -> ((SerializableFunction) function).apply(first);
            default -> ((SerializableBiFunction) function).apply(first, second);
        };
    }
}
