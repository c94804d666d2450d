package io.switchboard.app.serve;

import io.switchboard.compute.ComputeConfig;
import io.switchboard.compute.ComputeService;
import io.switchboard.platform.Service;
import picocli.CommandLine.Option;

/** Options of the compute service (Fibonacci, Ackermann, factorial). */
public final class ComputeOptions implements ServiceOptions {

    @Option(
            names = "--compute-prefix",
            defaultValue = "",
            description = "Path prefix of the compute routes (env COMPUTE_PREFIX; default: none, /fibonacci/{n} ...).")
    String prefix;

    @Option(
            names = "--compute-max-digits",
            defaultValue = "1000000",
            description = "Largest result, in decimal digits, computed on request; beyond it 422 "
                    + "(env COMPUTE_MAX_DIGITS; default ${DEFAULT-VALUE}).")
    long maxDigits;

    @Option(
            names = "--compute-threads",
            defaultValue = "0",
            description = "Computation threads; 0 means one per core (env COMPUTE_THREADS; default ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--compute-queue",
            defaultValue = "64",
            description = "Computations waiting for a thread beyond which requests get 503 "
                    + "(env COMPUTE_QUEUE; default ${DEFAULT-VALUE}).")
    int queue;

    @Option(
            names = "--compute-cache-bytes",
            defaultValue = "67108864",
            description = "Memory for cached results, in bytes; 0 disables the cache "
                    + "(env COMPUTE_CACHE_BYTES; default ${DEFAULT-VALUE}).")
    long cacheBytes;

    @Override
    public String serviceName() {
        return ComputeService.NAME;
    }

    @Override
    public Service create(ServeSettings settings) {
        int threadCount = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        return new ComputeService(new ComputeConfig(prefix, maxDigits, threadCount, queue, cacheBytes));
    }
}
