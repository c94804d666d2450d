package io.switchboard.compute.math;

import java.util.Optional;

/**
 * Where compute's big numbers are multiplied and printed: GMP through the FFM API when the
 * library is installed, else apfloat (pure Java). Both give the same digits; GMP is several times
 * faster (its assembly kernels and subquadratic decimal conversion), apfloat needs nothing native.
 *
 * <p>Both check a {@link Cancellation} between their big steps, so a computation nobody waits for
 * stops after at most one step (one multiplication, or the final decimal conversion).
 */
public sealed interface BigNumberEngine permits GmpEngine, ApfloatEngine {

    /** Which engine to use; {@link #AUTO} picks GMP when it loads. */
    enum Choice {
        AUTO,
        GMP,
        APFLOAT
    }

    /** Short lower-case name for health details and metrics: {@code gmp} or {@code apfloat}. */
    String name();

    /** The library version, e.g. {@code 6.2.1}. */
    String version();

    /** F(n) in decimal. */
    String fibonacci(long n, Cancellation cancellation);

    /** n! in decimal. */
    String factorial(long n, Cancellation cancellation);

    /** Bytes of native memory held by running computations now (0 for a pure-Java engine). */
    long nativeBytes();

    /**
     * The engine for {@code choice}.
     *
     * @throws IllegalStateException when GMP is asked for and cannot be loaded
     */
    static BigNumberEngine of(Choice choice) {
        return switch (choice) {
            case APFLOAT -> new ApfloatEngine();
            case GMP ->
                gmp().orElseThrow(
                                () -> new IllegalStateException(
                                        "compute engine gmp: the GMP library (libgmp.so.10, Debian package libgmp10) could not be loaded"));
            case AUTO -> gmp().map(BigNumberEngine.class::cast).orElseGet(ApfloatEngine::new);
        };
    }

    /** GMP, or empty when the library is absent. */
    static Optional<GmpEngine> gmp() {
        return Gmp.load().map(GmpEngine::new);
    }
}
