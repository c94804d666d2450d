package io.switchboard.compute.math;

import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Binary to decimal on several cores. Printing dominates: for 10^6! GMP's {@code mpz_get_str}
 * takes about five times as long as computing the value. It is a divide and conquer that runs on
 * one core, so large numbers are split first: x = q·10^k + r with k half the digits, and q and r
 * are printed at the same time, r padded with zeros to exactly k digits. The split costs about
 * what the top level of {@code mpz_get_str} would have cost anyway.
 *
 * <p>The halves run on the calling thread and on the common fork-join pool; if the pool has not
 * started its half by the time the caller finishes its own, the caller prints it too, so a busy
 * pool never makes a conversion wait. Digits are written straight into one Latin-1 array, which
 * becomes the result string.
 */
final class GmpDecimal {

    /** Below this many digits one {@code mpz_get_str} call is fast enough (milliseconds). */
    static final long PARALLEL_MIN_DIGITS = 100_000;

    private final Gmp gmp;
    private final int depth;
    private final long parallelMinDigits;
    private final Executor helpers;

    /** Splits as many times as doubling fills the cores (once on 2 cores, twice on 4, at most 3 times). */
    GmpDecimal(Gmp gmp) {
        this(
                gmp,
                splitDepth(Runtime.getRuntime().availableProcessors()),
                PARALLEL_MIN_DIGITS,
                ForkJoinPool.commonPool());
    }

    /**
     * @param depth how many times to halve; 0 never splits
     * @param parallelMinDigits no split below this many digits; at least 4, so that the top part
     *     of a split is never 0 (mpz_sizeinbase may count one digit too many)
     */
    GmpDecimal(Gmp gmp, int depth, long parallelMinDigits, Executor helpers) {
        if (depth < 0 || parallelMinDigits < 4) {
            throw new IllegalArgumentException(
                    "split depth must be ≥ 0 and parallelMinDigits ≥ 4, were " + depth + " and " + parallelMinDigits);
        }
        this.gmp = gmp;
        this.depth = depth;
        this.parallelMinDigits = parallelMinDigits;
        this.helpers = helpers;
    }

    static int splitDepth(int cores) {
        return Math.min(3, 31 - Integer.numberOfLeadingZeros(Math.max(1, cores)));
    }

    /** The decimal digits of a non-negative {@code x}. */
    String toDecimal(Gmp.Mpz x, Cancellation cancellation) {
        long bound = gmp.decimalDigitsBound(x);
        if (bound > Integer.MAX_VALUE - 8) {
            throw new ArithmeticException("a result of " + bound + " digits does not fit in a string");
        }
        byte[] out = new byte[(int) bound];
        int end = out.length;
        int start;
        if (depth == 0 || bound < parallelMinDigits) {
            start = end - gmp.writeDecimal(x, out, end);
        } else {
            start = end - writeSplit(x, out, end, -1, depth, cancellation);
        }
        return new String(out, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes x's digits ending before {@code end}; {@code width} ≥ 0 pads them with leading zeros to
     * exactly that many (a low half), −1 writes them as they are (the top). Returns the count written.
     */
    private int writeSplit(Gmp.Mpz x, byte[] out, int end, long width, int levels, Cancellation cancellation) {
        long digits = width >= 0 ? width : gmp.decimalDigitsBound(x);
        if (levels == 0 || digits < parallelMinDigits) {
            return pad(out, end, gmp.writeDecimal(x, out, end), width);
        }
        cancellation.check();
        long k = digits / 2;
        // Shared: the low half's integer is read on another thread.
        try (Arena arena = Arena.ofShared();
                Gmp.Mpz power = gmp.newMpz(arena);
                Gmp.Mpz high = gmp.newMpz(arena);
                Gmp.Mpz low = gmp.newMpz(arena)) {
            gmp.powerOfTen(power, k);
            gmp.divide(high, low, x, power);
            int[] highCount = new int[1];
            BothHalves.run(
                    () -> highCount[0] = writeSplit(
                            high, out, (int) (end - k), width < 0 ? -1 : width - k, levels - 1, cancellation),
                    () -> writeSplit(low, out, end, k, levels - 1, cancellation),
                    helpers);
            return highCount[0] + (int) k;
        }
    }

    /** Fills zeros before the {@code written} digits ending at {@code end} up to {@code width}. */
    private static int pad(byte[] out, int end, int written, long width) {
        if (width < 0 || written == width) {
            return written;
        }
        Arrays.fill(out, (int) (end - width), end - written, (byte) '0');
        return (int) width;
    }
}
