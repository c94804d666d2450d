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
        BinaryPair pair = new BinaryPair(n);
        pair.doubleWhileBelow(Integer.MAX_VALUE, cancellation);
        return pair.a;
    }

    /**
     * F(n) in decimal. Doubles in {@link BigInteger} while the numbers are small, then in decimal
     * radix (see {@link DecimalNumber}), so the result needs no binary-to-decimal conversion.
     */
    public static String decimal(long n, Cancellation cancellation) {
        BinaryPair pair = new BinaryPair(n);
        pair.doubleWhileBelow(DecimalNumber.CROSSOVER_BITS, cancellation);
        if (pair.bit < 0) {
            return pair.a.toString();
        }
        Apint a = DecimalNumber.of(pair.a);
        Apint b = DecimalNumber.of(pair.b);
        Apint two = DecimalNumber.of(2);
        for (int bit = pair.bit; bit >= 0; bit--) {
            cancellation.check();
            Apint c = a.multiply(b.multiply(two).subtract(a)); // F(2k)
            Apint d = a.multiply(a).add(b.multiply(b)); // F(2k+1)
            boolean set = ((n >>> bit) & 1) != 0;
            a = set ? d : c;
            b = set ? c.add(d) : d;
        }
        return DecimalNumber.digits(a);
    }

    /** (F(k), F(k+1)) in binary, and the next bit of n still to double over. */
    private static final class BinaryPair {

        private final long n;
        private BigInteger a = BigInteger.ZERO; // F(k)
        private BigInteger b = BigInteger.ONE; // F(k+1)
        private int bit;

        BinaryPair(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("n must be non-negative, was " + n);
            }
            this.n = n;
            this.bit = 63 - Long.numberOfLeadingZeros(n);
        }

        /** Walks the bits of n from the top until done or F(k+1) reaches {@code maxBits}. */
        void doubleWhileBelow(int maxBits, Cancellation cancellation) {
            for (; bit >= 0 && b.bitLength() < maxBits; bit--) {
                cancellation.check();
                BigInteger c = Multiplication.multiply(a, b.shiftLeft(1).subtract(a)); // F(2k)
                BigInteger d = Multiplication.multiply(a, a).add(Multiplication.multiply(b, b)); // F(2k+1)
                boolean set = ((n >>> bit) & 1) != 0;
                a = set ? d : c;
                b = set ? c.add(d) : d;
            }
        }
    }

    /** Decimal digits of F(n), estimated from Binet's formula without computing it (±1). */
    public static double estimatedDigits(long n) {
        if (n < 2) {
            return 1;
        }
        return Math.floor(n * LOG10_PHI - Math.log10(5) / 2) + 1;
    }
}
