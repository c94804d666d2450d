package io.switchboard.compute.math;

import java.math.BigInteger;
import org.apfloat.Apint;

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

    /**
     * n! in decimal: a product tree over 1..n whose small subtrees are computed in {@link
     * BigInteger} (by the split-recursive algorithm where the range starts at 1) and whose top
     * levels multiply in decimal radix (see {@link DecimalNumber}).
     */
    public static String decimal(long n, Cancellation cancellation) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be non-negative, was " + n);
        }
        return DecimalNumber.digits(rangeProduct(1, n, cancellation));
    }

    /** Product of lo..hi; binary below the crossover size, decimal above it. */
    private static Apint rangeProduct(long lo, long hi, Cancellation cancellation) {
        cancellation.check();
        double bits = (double) (hi - lo + 1) * (Math.log((double) Math.max(hi, 2)) / Math.log(2));
        if (bits < DecimalNumber.CROSSOVER_BITS) {
            return DecimalNumber.of(binaryRangeProduct(lo, hi));
        }
        long mid = lo + (hi - lo) / 2;
        return rangeProduct(lo, mid, cancellation).multiply(rangeProduct(mid + 1, hi, cancellation));
    }

    /** Product of lo..hi by binary splitting, pairing operands of similar size. */
    private static BigInteger binaryRangeProduct(long lo, long hi) {
        if (hi - lo < 8) {
            BigInteger product = BigInteger.valueOf(Math.max(lo, 1));
            for (long i = Math.max(lo, 1) + 1; i <= hi; i++) {
                product = product.multiply(BigInteger.valueOf(i));
            }
            return product;
        }
        long mid = lo + (hi - lo) / 2;
        return binaryRangeProduct(lo, mid).multiply(binaryRangeProduct(mid + 1, hi));
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
