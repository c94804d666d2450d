package io.switchboard.distribute.client;

import java.io.Serializable;
import java.util.function.BiFunction;

/**
 * A {@link BiFunction} that Java serialization can write, so that {@link Distribute#computeThis}
 * can ship it.
 *
 * @param <T> the first argument's type
 * @param <U> the second argument's type
 * @param <R> the result's type
 */
@FunctionalInterface
public interface SerializableBiFunction<T, U, R> extends BiFunction<T, U, R>, Serializable {}
