package io.switchboard.distribute.client;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A {@link Supplier} that Java serialization can write, so that {@link Distribute#computeThis} can
 * ship it.
 *
 * @param <R> the result's type
 */
@FunctionalInterface
public interface SerializableSupplier<R> extends Supplier<R>, Serializable {}
