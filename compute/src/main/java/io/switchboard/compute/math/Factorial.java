package io.switchboard.compute.math;

import java.math.BigInteger;

/**
 * Exact factorials by Luschny's split-recursive algorithm: n! = 2^s · (odd part), and the odd part
 * is built from products of runs of consecutive odd numbers, each computed by binary splitting so
 * that multiplications pair operands of similar size (where Karatsuba and Toom-Cook shine) instead
 * of multiplying a huge partial product by one small factor at a time.
 */
public final class Factorial {

    private Factorial() {}

    public static BigInteger of(long n, Cancellation cancellation) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be non-negative, was " + n);
        }
        if (n < 2) {
            return BigInteger.ONE;
        }
        return new SplitRecursive(cancellation).factorial(n);
    }

    /** Decimal digits of n!, from Stirling's series without computing it (±1). */
    public static double estimatedDigits(long n) {
        if (n < 2) {
            return 1;
        }
        double x = n;
        double ln = x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + 1 / (12 * x);
        return Math.floor(ln / Math.log(10)) + 1;
    }

    /** One run of the algorithm; {@code current} is the last odd number multiplied in so far. */
    private static final class SplitRecursive {

        private final Cancellation cancellation;
        private long current = 1;

        SplitRecursive(Cancellation cancellation) {
            this.cancellation = cancellation;
        }

        BigInteger factorial(long n) {
            BigInteger p = BigInteger.ONE;
            BigInteger r = BigInteger.ONE;
            int log2n = 63 - Long.numberOfLeadingZeros(n);
            long h = 0;
            long shift = 0;
            long high = 1;
            while (h != n) {
                shift += h;
                h = n >>> log2n--;
                long low = high;
                high = (h - 1) | 1;
                long length = (high - low) / 2;
                if (length > 0) {
                    p = Multiplication.multiply(p, oddProduct(length));
                    r = Multiplication.multiply(r, p);
                }
                cancellation.check();
            }
            return r.shiftLeft(Math.toIntExact(shift));
        }

        /** Product of the next {@code count} odd numbers after {@link #current}. */
        private BigInteger oddProduct(long count) {
            long half = count / 2;
            if (half == 0) {
                return BigInteger.valueOf(current += 2);
            }
            if (count == 2) {
                long first = current += 2;
                long second = current += 2;
                return BigInteger.valueOf(first).multiply(BigInteger.valueOf(second));
            }
            if (count > 4096) {
                cancellation.check();
            }
            BigInteger left = oddProduct(count - half);
            return Multiplication.multiply(left, oddProduct(half));
        }
    }
}
