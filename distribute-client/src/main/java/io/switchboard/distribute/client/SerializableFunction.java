package io.switchboard.distribute.client;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that Java serialization can write, so that {@link Distribute#computeThis} can
 * ship it: casting a lambda to this type makes the compiler generate a serializable lambda.
 *
 * @param <T> the argument's type
 * @param <R> the result's type
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {}
