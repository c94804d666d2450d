package io.switchboard.compute.math;

import java.math.BigInteger;
import org.apfloat.Apint;

/**
 * Arithmetic on numbers held in decimal radix, so that printing a result of millions of digits
 * costs nothing.
 *
 * <p>Why: {@link BigInteger#toString()} converts binary to decimal by repeated division, which for
 * a few million digits takes longer than computing the value (10^6! took 2.5 s to compute and 12 s
 * to print). Apfloat's {@link Apint} in radix 10 multiplies with number-theoretic transforms in
 * O(n log n) and prints by copying digits. It has more overhead than {@code BigInteger} on small
 * operands, so the algorithms stay in {@code BigInteger} while numbers are small and cross over
 * once, at {@link #CROSSOVER_BITS}, where converting is cheap.
 */
final class DecimalNumber {

    /**
     * Operand size from which radix-10 NTT arithmetic beats BigInteger plus a final conversion.
     * Measured with benchmarks/compute.sh at 2^15 to 2^20: 2^16 was best or near best on every input.
     */
    static final int CROSSOVER_BITS = 1 << 16;

    /** Numbers are kept and printed in base ten. */
    private static final int RADIX = 10;

    private DecimalNumber() {}

    /** Converts a (small) binary number; costs a BigInteger.toString of its size. */
    static Apint of(BigInteger value) {
        return new Apint(value.toString(), RADIX);
    }

    static Apint of(long value) {
        return new Apint(value, RADIX);
    }

    /** The decimal digits, without any formatting. */
    static String digits(Apint value) {
        return value.toString(true);
    }
}
