package io.switchboard.compute;

/**
 * Settings of the compute service.
 *
 * @param prefix path prefix of the routes, "" for the seed's paths ({@code /fibonacci/10})
 * @param maxDigits largest result, in decimal digits, computed on request; the budget is checked
 *     before any work starts, so it also bounds computation time
 * @param threads computation threads (CPU-bound: one per core)
 * @param queueCapacity computations waiting for a thread beyond which requests get 503
 * @param cacheBytes memory for cached results; 0 disables caching
 */
public record ComputeConfig(String prefix, long maxDigits, int threads, int queueCapacity, long cacheBytes) {

    public ComputeConfig {
        if (prefix == null || (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/")))) {
            throw new IllegalArgumentException(
                    "compute prefix must be empty or start with '/' and not end with it, was '" + prefix + "'");
        }
        if (maxDigits < 1) {
            throw new IllegalArgumentException("compute max digits must be at least 1, was " + maxDigits);
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
    }

    /** The defaults of {@code serve}: a million digits, one thread per core, 64 MiB of cache. */
    public static ComputeConfig defaults() {
        return new ComputeConfig("", 1_000_000, Runtime.getRuntime().availableProcessors(), 64, 64L << 20);
    }

    public ComputeConfig withMaxDigits(long digits) {
        return new ComputeConfig(prefix, digits, threads, queueCapacity, cacheBytes);
    }

    public ComputeConfig withQueue(int threadCount, int capacity) {
        return new ComputeConfig(prefix, maxDigits, threadCount, capacity, cacheBytes);
    }
}
