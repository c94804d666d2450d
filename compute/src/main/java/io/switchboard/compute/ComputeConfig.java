package io.switchboard.compute;

import io.switchboard.compute.math.BigNumberEngine;

/**
 * Settings of the compute service.
 *
 * @param prefix path prefix of the routes, "" for the seed's paths ({@code /fibonacci/10})
 * @param maxDigits largest result, in decimal digits, computed on request; the budget is checked
 *     before any work starts, so it also bounds computation time
 * @param threads computation threads (CPU-bound: one per core)
 * @param queueCapacity computations waiting for a thread beyond which requests get 503
 * @param cacheBytes memory for cached results; 0 disables caching
 * @param engine big-number engine: GMP, apfloat, or GMP when it is installed and apfloat otherwise
 */
public record ComputeConfig(
        String prefix, long maxDigits, int threads, int queueCapacity, long cacheBytes, BigNumberEngine.Choice engine) {

    /**
     * Largest budget accepted: a result is held as one Java string, which has at most 2^31 − 1
     * characters.
     */
    public static final long MAX_DIGITS_LIMIT = Integer.MAX_VALUE - 16;

    /** With the engine chosen automatically. */
    public ComputeConfig(String prefix, long maxDigits, int threads, int queueCapacity, long cacheBytes) {
        this(prefix, maxDigits, threads, queueCapacity, cacheBytes, BigNumberEngine.Choice.AUTO);
    }

    public ComputeConfig {
        if (prefix == null || (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/")))) {
            throw new IllegalArgumentException(
                    "compute prefix must be empty or start with '/' and not end with it, was '" + prefix + "'");
        }
        if (maxDigits < 1 || maxDigits > MAX_DIGITS_LIMIT) {
            throw new IllegalArgumentException(
                    "compute max digits must be between 1 and " + MAX_DIGITS_LIMIT + ", was " + maxDigits);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("compute threads must be at least 1, was " + threads);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("compute queue must be at least 1, was " + queueCapacity);
        }
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("compute cache bytes must be zero or positive, was " + cacheBytes);
        }
        if (engine == null) {
            throw new IllegalArgumentException("compute engine must be one of auto, gmp, apfloat, was null");
        }
    }

    /** The defaults of {@code serve}: a million digits, one thread per core, 64 MiB of cache. */
    public static ComputeConfig defaults() {
        return new ComputeConfig("", 1_000_000, Runtime.getRuntime().availableProcessors(), 64, 64L << 20);
    }

    public ComputeConfig withMaxDigits(long digits) {
        return new ComputeConfig(prefix, digits, threads, queueCapacity, cacheBytes, engine);
    }

    public ComputeConfig withQueue(int threadCount, int capacity) {
        return new ComputeConfig(prefix, maxDigits, threadCount, capacity, cacheBytes, engine);
    }

    public ComputeConfig withEngine(BigNumberEngine.Choice choice) {
        return new ComputeConfig(prefix, maxDigits, threads, queueCapacity, cacheBytes, choice);
    }
}
