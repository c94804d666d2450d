package io.switchboard.compute.math;

import java.lang.foreign.Arena;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The GMP engine (see {@link Gmp} for the bindings and the memory accounting).
 *
 * <p><b>Cancellation.</b> A GMP call cannot be interrupted, so large values are not computed by
 * one call: the engine runs the top levels of each algorithm itself, one GMP multiplication per
 * step with a {@link Cancellation} check between steps, and leaves only the small bottom (below
 * {@code directFibonacci} and {@code directFactorial}) to one GMP call.
 *
 * <ul>
 *   <li>Fibonacci: {@code mpz_fib2_ui} gives (F(k), F(k−1)) for the top bits k of n, then each
 *       further bit doubles k with two squarings, as GMP's own {@code mpz_fib_ui} does: F(2k+1) =
 *       4F(k)² − F(k−1)² + 2(−1)^k, F(2k−1) = F(k)² + F(k−1)², F(2k) = F(2k+1) − F(2k−1). The last
 *       bit needs one multiplication: F(2k) = F(k)(F(k) + 2F(k−1)), F(2k+1) = (2F(k) + F(k−1))(2F(k)
 *       − F(k−1)) + 2(−1)^k.
 *   <li>Factorial: n! = (⌊n/2⌋!)² · C(2⌊n/2⌋, ⌊n/2⌋) · (n if n is odd): the swing recursion.
 *       GMP computes the central binomial from its prime factorisation, so each level costs one
 *       squaring and one multiplication of the level's size. The binomial does not depend on
 *       (⌊n/2⌋!)², so at the top levels the two are computed on two cores at once.
 * </ul>
 *
 * <p><b>Memory.</b> Every computation allocates its {@code mpz_t}s in a confined arena and clears
 * them in {@code finally}, whether it completes, fails or is cancelled.
 */
final class GmpEngine implements BigNumberEngine {

    /** Below this n, F(n) (under 730,000 bits, a few ms) comes from one {@code mpz_fib_ui} call. */
    private static final long DIRECT_FIBONACCI = 1L << 20;

    /**
     * Below this n, n! (up to 12.4 million digits, about a second) comes from one {@code mpz_fac_ui}
     * call: GMP's own odd-factorial algorithm is 20–40% faster than the swing recursion run from
     * here (measured on 10^6!), and a second without a cancellation check is what printing such a
     * number costs anyway. Above it (only with a raised digit budget) the recursion runs stepwise.
     */
    private static final long DIRECT_FACTORIAL = 1L << 21;

    private final Gmp gmp;
    private final GmpDecimal decimal;
    /** Where the second half of a parallel step runs (the caller runs it when none is free). */
    private final Executor helpers = ForkJoinPool.commonPool();

    private final long directFibonacci;
    private final long directFactorial;

    GmpEngine(Gmp gmp) {
        this(gmp, DIRECT_FIBONACCI, DIRECT_FACTORIAL);
    }

    GmpEngine(Gmp gmp, long directFibonacci, long directFactorial) {
        this(gmp, directFibonacci, directFactorial, new GmpDecimal(gmp));
    }

    /** With other thresholds and decimal conversion, so that tests reach every path with small numbers. */
    GmpEngine(Gmp gmp, long directFibonacci, long directFactorial, GmpDecimal decimal) {
        if (directFibonacci < 2 || directFactorial < 2) {
            throw new IllegalArgumentException(
                    "direct thresholds must be at least 2, were " + directFibonacci + " and " + directFactorial);
        }
        this.gmp = gmp;
        this.decimal = decimal;
        this.directFibonacci = directFibonacci;
        this.directFactorial = directFactorial;
    }

    @Override
    public String name() {
        return "gmp";
    }

    @Override
    public String version() {
        return gmp.version;
    }

    @Override
    public long nativeBytes() {
        return Gmp.liveBytes();
    }

    @Override
    public String fibonacci(long n, Cancellation cancellation) {
        requireNonNegative(n);
        cancellation.check();
        try (Arena arena = Arena.ofConfined();
                Gmp.Mpz a = gmp.newMpz(arena);
                Gmp.Mpz b = gmp.newMpz(arena);
                Gmp.Mpz s = gmp.newMpz(arena);
                Gmp.Mpz t = gmp.newMpz(arena)) {
            Gmp.Mpz value = n < directFibonacci ? direct(n, a) : fibonacciByDoubling(n, a, b, s, t, cancellation);
            cancellation.check();
            return decimal.toDecimal(value, cancellation);
        }
    }

    private Gmp.Mpz direct(long n, Gmp.Mpz target) {
        gmp.fib(target, n);
        return target;
    }

    /** F(n), in one of the four integers given (which are all overwritten). */
    private Gmp.Mpz fibonacciByDoubling(long n, Gmp.Mpz a, Gmp.Mpz b, Gmp.Mpz s, Gmp.Mpz t, Cancellation cancellation) {
        int steps = 0;
        long k = n;
        while (k >= directFibonacci) {
            k >>>= 1;
            steps++;
        }
        gmp.fib2(a, b, k); // a = F(k), b = F(k−1)
        for (int bit = steps - 1; bit >= 1; bit--) {
            cancellation.check();
            gmp.multiply(s, a, a); // F(k)²
            gmp.multiply(t, b, b); // F(k−1)²
            gmp.shiftLeft(a, s, 2);
            gmp.subtract(a, a, t);
            addTwoSigned(a, k); // a = F(2k+1)
            gmp.add(b, s, t); // b = F(2k−1)
            gmp.subtract(s, a, b); // s = F(2k)
            Gmp.Mpz swap = s;
            if (((n >>> bit) & 1) != 0) {
                s = b; // (a, b) = (F(2k+1), F(2k))
                b = swap;
                k = 2 * k + 1;
            } else {
                s = a; // (a, b) = (F(2k), F(2k−1))
                a = swap;
                k = 2 * k;
            }
        }
        cancellation.check();
        if ((n & 1) == 0) {
            gmp.shiftLeft(s, b, 1);
            gmp.add(s, s, a);
            gmp.multiply(t, a, s); // F(2k) = F(k)(F(k) + 2F(k−1))
        } else {
            gmp.shiftLeft(s, a, 1);
            gmp.add(a, s, b); // 2F(k) + F(k−1)
            gmp.subtract(s, s, b); // 2F(k) − F(k−1)
            gmp.multiply(t, a, s);
            addTwoSigned(t, k); // F(2k+1)
        }
        return t;
    }

    /** Adds 2(−1)^k to {@code x}. */
    private void addTwoSigned(Gmp.Mpz x, long k) {
        if ((k & 1) == 0) {
            gmp.add(x, x, 2);
        } else {
            gmp.subtract(x, x, 2);
        }
    }

    @Override
    public String factorial(long n, Cancellation cancellation) {
        requireNonNegative(n);
        cancellation.check();
        try (Arena arena = Arena.ofConfined();
                Gmp.Mpz result = gmp.newMpz(arena);
                Gmp.Mpz binomial = gmp.newMpz(arena)) {
            factorial(n, result, binomial, cancellation);
            cancellation.check();
            return decimal.toDecimal(result, cancellation);
        }
    }

    /**
     * n! into {@code result}; {@code scratch} holds each level's central binomial. From {@code 4 ×
     * directFactorial} up, the binomial is computed on a helper thread while this one computes
     * (⌊n/2⌋!)², the two being independent.
     */
    private void factorial(long n, Gmp.Mpz result, Gmp.Mpz scratch, Cancellation cancellation) {
        if (n < directFactorial) {
            gmp.factorial(result, n);
            return;
        }
        long half = n >>> 1;
        if (n >= 4 * directFactorial) {
            // Shared: the binomial's integer is written on another thread.
            try (Arena arena = Arena.ofShared();
                    Gmp.Mpz binomial = gmp.newMpz(arena)) {
                BothHalves.run(
                        () -> squareOfFactorial(half, result, scratch, cancellation),
                        () -> gmp.binomial(binomial, 2 * half, half),
                        helpers);
                gmp.multiply(result, result, binomial);
            }
        } else {
            squareOfFactorial(half, result, scratch, cancellation);
            cancellation.check();
            gmp.binomial(scratch, 2 * half, half);
            gmp.multiply(result, result, scratch);
        }
        if ((n & 1) != 0) {
            gmp.multiply(result, result, n);
        }
    }

    /** (m!)² into {@code result}. */
    private void squareOfFactorial(long m, Gmp.Mpz result, Gmp.Mpz scratch, Cancellation cancellation) {
        factorial(m, result, scratch, cancellation);
        cancellation.check();
        gmp.multiply(result, result, result);
    }

    private static void requireNonNegative(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be non-negative, was " + n);
        }
    }
}
