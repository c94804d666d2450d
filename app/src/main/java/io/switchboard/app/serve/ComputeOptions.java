package io.switchboard.app.serve;

import io.switchboard.compute.ComputeConfig;
import io.switchboard.compute.ComputeService;
import io.switchboard.compute.math.BigNumberEngine;
import io.switchboard.platform.Service;
import java.util.Locale;
import picocli.CommandLine;
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

    @Option(
            names = "--compute-engine",
            defaultValue = "auto",
            converter = EngineConverter.class,
            description = "Big-number engine: gmp (libgmp through the FFM API), apfloat (pure Java), or auto: gmp "
                    + "when libgmp is installed, else apfloat (env COMPUTE_ENGINE; default ${DEFAULT-VALUE}).")
    BigNumberEngine.Choice engine;

    @Override
    public String serviceName() {
        return ComputeService.NAME;
    }

    @Override
    public Service create(ServeSettings settings) {
        int threadCount = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        return new ComputeService(new ComputeConfig(prefix, maxDigits, threadCount, queue, cacheBytes, engine));
    }

    /** Accepts the engine names in any case and names the valid ones when it refuses. */
    static final class EngineConverter implements CommandLine.ITypeConverter<BigNumberEngine.Choice> {
        @Override
        public BigNumberEngine.Choice convert(String value) {
            try {
                return BigNumberEngine.Choice.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("must be one of auto, gmp, apfloat, was '" + value + "'");
            }
        }
    }
}
