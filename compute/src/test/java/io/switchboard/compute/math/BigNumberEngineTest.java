package io.switchboard.compute.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both engines give the digits of the BigInteger reference algorithms. The GMP engine is tested
 * with its production thresholds and with tiny ones, so that its stepwise paths (doubling and the
 * swing recursion, where cancellation is checked) run on small numbers. Where libgmp is absent
 * the GMP cases are skipped, except in CI ({@code SWITCHBOARD_REQUIRE_SERVICES=true}), which
 * installs it and fails without it.
 */
class BigNumberEngineTest {

    static Stream<BigNumberEngine> engines() {
        List<BigNumberEngine> engines = new ArrayList<>(List.of(new ApfloatEngine()));
        gmp().ifPresent(gmp -> {
            engines.add(new GmpEngine(gmp));
            engines.add(new GmpEngine(gmp, 2, 2));
            engines.add(new GmpEngine(gmp, 37, 13));
            // Decimal output split three levels deep from 4 digits up: halves padded with zeros.
            engines.add(new GmpEngine(gmp, 37, 13, new GmpDecimal(gmp, 3, 4, ForkJoinPool.commonPool())));
            engines.add(new GmpEngine(gmp, 1 << 20, 1 << 17, new GmpDecimal(gmp, 1, 1000, Runnable::run)));
        });
        return engines.stream();
    }

    static java.util.Optional<Gmp> gmp() {
        java.util.Optional<Gmp> gmp = Gmp.load();
        if (gmp.isEmpty() && Boolean.parseBoolean(System.getenv("SWITCHBOARD_REQUIRE_SERVICES"))) {
            throw new IllegalStateException(
                    "libgmp is required (SWITCHBOARD_REQUIRE_SERVICES=true) but could not be loaded");
        }
        return gmp;
    }

    private static Gmp requireGmp() {
        java.util.Optional<Gmp> gmp = gmp();
        Assumptions.assumeTrue(gmp.isPresent(), "libgmp is not installed");
        return gmp.orElseThrow();
    }

    /** Compares digit strings without printing millions of digits when they differ. */
    private static void assertSameDigits(String actual, String expected, String what) {
        if (!actual.equals(expected)) {
            int at = 0;
            while (at < Math.min(actual.length(), expected.length()) && actual.charAt(at) == expected.charAt(at)) {
                at++;
            }
            throw new AssertionError(what + ": " + actual.length() + " digits instead of " + expected.length()
                    + ", first difference at index " + at);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void fibonacciMatchesTheReferenceForEveryNUpTo600(BigNumberEngine engine) {
        for (long n = 0; n <= 600; n++) {
            assertThat(engine.fibonacci(n, Cancellation.NONE))
                    .as("%s F(%d)", engine.name(), n)
                    .isEqualTo(Fibonacci.of(n, Cancellation.NONE).toString());
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void factorialMatchesTheReferenceForEveryNUpTo400(BigNumberEngine engine) {
        for (long n = 0; n <= 400; n++) {
            assertThat(engine.factorial(n, Cancellation.NONE))
                    .as("%s %d!", engine.name(), n)
                    .isEqualTo(Factorial.of(n, Cancellation.NONE).toString());
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void largeValuesMatchTheReference(BigNumberEngine engine) {
        long seed = 1_212L;
        Random random = new Random(seed);
        for (int i = 0; i < 4; i++) {
            long n = 100_000L + random.nextInt(400_000);
            assertSameDigits(
                    engine.fibonacci(n, Cancellation.NONE),
                    Fibonacci.of(n, Cancellation.NONE).toString(),
                    engine.name() + " F(" + n + "), seed " + seed);
            long m = 10_000L + random.nextInt(40_000);
            assertSameDigits(
                    engine.factorial(m, Cancellation.NONE),
                    Factorial.of(m, Cancellation.NONE).toString(),
                    engine.name() + " " + m + "!, seed " + seed);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aCancelledComputationStopsWithCancellationException(BigNumberEngine engine) {
        assertThatThrownBy(() -> engine.fibonacci(100_000, () -> true)).isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> engine.factorial(100_000, () -> true)).isInstanceOf(CancellationException.class);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void negativeArgumentsAreRefusedNamingTheValue(BigNumberEngine engine) {
        assertThatThrownBy(() -> engine.fibonacci(-3, Cancellation.NONE)).hasMessageContaining("-3");
        assertThatThrownBy(() -> engine.factorial(-4, Cancellation.NONE)).hasMessageContaining("-4");
    }

    @Test
    void gmpChecksCancellationBetweenItsSteps() {
        GmpEngine engine = new GmpEngine(requireGmp(), 1 << 10, 1 << 8);
        // Cancelled after the k-th check: the computation must stop there, mid-way, not at the end.
        for (int allowed = 1; allowed <= 4; allowed++) {
            AtomicInteger checks = new AtomicInteger();
            int limit = allowed;
            Cancellation afterSomeSteps = () -> checks.incrementAndGet() > limit;
            assertThatThrownBy(() -> engine.fibonacci(1 << 16, afterSomeSteps))
                    .isInstanceOf(CancellationException.class);
            assertThat(checks.get()).isEqualTo(allowed + 1);
            checks.set(0);
            assertThatThrownBy(() -> engine.factorial(1 << 14, afterSomeSteps))
                    .isInstanceOf(CancellationException.class);
            assertThat(checks.get()).isEqualTo(allowed + 1);
        }
    }

    @Test
    void gmpFreesItsNativeMemoryAfterEveryComputationCompletedOrCancelled() {
        GmpEngine engine = new GmpEngine(requireGmp(), 1 << 10, 1 << 8);
        long before = engine.nativeBytes();
        engine.fibonacci(300_000, Cancellation.NONE);
        engine.factorial(30_000, Cancellation.NONE);
        AtomicInteger checks = new AtomicInteger();
        assertThatThrownBy(() -> engine.factorial(50_000, () -> checks.incrementAndGet() > 3))
                .isInstanceOf(CancellationException.class);

        assertThat(engine.nativeBytes()).isEqualTo(before);
    }

    @Test
    void gmpCountsTheNativeMemoryOfARunningComputation() {
        GmpEngine engine = new GmpEngine(requireGmp(), 1 << 10, 1 << 8);
        long before = engine.nativeBytes();
        long[] during = {0};
        // The check runs inside the computation, while its integers are alive.
        engine.fibonacci(200_000, () -> {
            during[0] = Math.max(during[0], engine.nativeBytes());
            return false;
        });
        // F(200,000) has 138,843 bits: the two integers of the last step hold at least that much.
        assertThat(during[0] - before).isGreaterThan(2 * 138_843 / 8);
    }

    @Test
    void splitDecimalOutputKeepsTheZerosOfEveryHalf() {
        Gmp gmp = requireGmp();
        GmpDecimal decimal = new GmpDecimal(gmp, 3, 4, ForkJoinPool.commonPool());
        Random random = new Random(99);
        // Powers of ten, numbers full of zeros or nines, and random ones, of 4 to 2,000 digits.
        List<BigInteger> values = new ArrayList<>();
        for (int digits = 4; digits <= 2_000; digits = digits * 3 / 2) {
            BigInteger power = BigInteger.TEN.pow(digits);
            values.addAll(List.of(
                    power,
                    power.subtract(BigInteger.ONE),
                    power.add(BigInteger.ONE),
                    power.add(BigInteger.TEN.pow(digits / 2 - 1)),
                    new BigInteger(digits * 3, random)));
        }
        for (BigInteger value : values) {
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined();
                    Gmp.Mpz x = gmp.newMpz(arena);
                    Gmp.Mpz y = gmp.newMpz(arena)) {
                // x = value, built from its decimal digits by Horner's rule in GMP.
                for (char c : value.toString().toCharArray()) {
                    gmp.multiply(y, x, 10);
                    gmp.add(x, y, c - '0');
                }
                assertSameDigits(decimal.toDecimal(x, Cancellation.NONE), value.toString(), "value " + value);
            }
        }
    }

    @Test
    void gmpReportsItsVersion() {
        GmpEngine engine = new GmpEngine(requireGmp());
        assertThat(engine.name()).isEqualTo("gmp");
        assertThat(engine.version()).matches("\\d+\\.\\d+(\\.\\d+)?");
    }

    @Test
    void autoPicksGmpWhenItIsInstalledAndApfloatOtherwise() {
        BigNumberEngine auto = BigNumberEngine.of(BigNumberEngine.Choice.AUTO);
        assertThat(auto.name()).isEqualTo(gmp().isPresent() ? "gmp" : "apfloat");
        assertThat(BigNumberEngine.of(BigNumberEngine.Choice.APFLOAT).name()).isEqualTo("apfloat");
        assertThat(BigNumberEngine.of(BigNumberEngine.Choice.APFLOAT).version()).matches("\\d+\\.\\d+.*");
    }

    @Test
    void bothEnginesAgreeOnValuesBeyondTheDirectThresholds() {
        // Fibonacci above 2^20 with the production threshold; factorials stepwise from 2^15 on, with
        // the binomial on a helper thread from 2^17 on.
        GmpEngine gmp = new GmpEngine(requireGmp(), 1 << 20, 1 << 15);
        ApfloatEngine apfloat = new ApfloatEngine();
        long fib = (1L << 20) + 12_345;
        long fac = (1L << 17) + 777;
        assertSameDigits(
                gmp.fibonacci(fib, Cancellation.NONE), apfloat.fibonacci(fib, Cancellation.NONE), "F(" + fib + ")");
        assertSameDigits(gmp.factorial(fac, Cancellation.NONE), apfloat.factorial(fac, Cancellation.NONE), fac + "!");
        assertThat(new BigInteger(gmp.fibonacci(fib, Cancellation.NONE)).bitLength())
                .isGreaterThan(700_000);
    }
}
