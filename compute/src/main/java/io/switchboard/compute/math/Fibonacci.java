package io.switchboard.compute.math;

import java.math.BigInteger;
import org.apfloat.Apint;

/**
 * Exact Fibonacci numbers by fast doubling: from (F(k), F(k+1)) it derives F(2k) = F(k)(2F(k+1) −
 * F(k)) and F(2k+1) = F(k)² + F(k+1)², walking the bits of n from the top. That is O(log n)
 * multiplications of growing size, so the cost is dominated by the last few, on numbers of about
 * 0.694·n bits.
 */
public final class Fibonacci {

    /** log10 of the golden ratio: F(n) has about n·LOG10_PHI digits. */
    private static final double LOG10_PHI = Math.log10((1 + Math.sqrt(5)) / 2);

    private Fibonacci() {}

    public static BigInteger of(long n, Cancellation cancellation) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be non-negative, was " + n);
        }
        BigInteger a = BigInteger.ZERO; // F(k)
        BigInteger b = BigInteger.ONE; // F(k+1)
        for (int bit = 63 - Long.numberOfLeadingZeros(n); bit >= 0; bit--) {
            cancellation.check();
            BigInteger c = Multiplication.multiply(a, b.shiftLeft(1).subtract(a)); // F(2k)
            BigInteger d = Multiplication.multiply(a, a).add(Multiplication.multiply(b, b)); // F(2k+1)
            if (((n >>> bit) & 1) == 0) {
                a = c;
                b = d;
            } else {
                a = d;
                b = c.add(d);
            }
        }
        return a;
    }

    /**
     * F(n) in decimal. Doubles in {@link BigInteger} while the numbers are small, then in decimal
     * radix (see {@link DecimalNumber}), so the result needs no binary-to-decimal conversion.
     */
    public static String decimal(long n, Cancellation cancellation) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be non-negative, was " + n);
        }
        BigInteger a = BigInteger.ZERO;
        BigInteger b = BigInteger.ONE;
        int bit = 63 - Long.numberOfLeadingZeros(n);
        for (; bit >= 0 && b.bitLength() < DecimalNumber.CROSSOVER_BITS; bit--) {
            cancellation.check();
            BigInteger c = Multiplication.multiply(a, b.shiftLeft(1).subtract(a));
            BigInteger d = Multiplication.multiply(a, a).add(Multiplication.multiply(b, b));
            if (((n >>> bit) & 1) == 0) {
                a = c;
                b = d;
            } else {
                a = d;
                b = c.add(d);
            }
        }
        if (bit < 0) {
            return a.toString();
        }
        Apint x = DecimalNumber.of(a);
        Apint y = DecimalNumber.of(b);
        Apint two = DecimalNumber.of(2);
        for (; bit >= 0; bit--) {
            cancellation.check();
            Apint c = x.multiply(y.multiply(two).subtract(x));
            Apint d = x.multiply(x).add(y.multiply(y));
            if (((n >>> bit) & 1) == 0) {
                x = c;
                y = d;
            } else {
                x = d;
                y = c.add(d);
            }
        }
        return DecimalNumber.digits(x);
    }

    /** Decimal digits of F(n), estimated from Binet's formula without computing it (±1). */
    public static double estimatedDigits(long n) {
        if (n < 2) {
            return 1;
        }
        return Math.floor(n * LOG10_PHI - Math.log10(5) / 2) + 1;
    }
}
