package io.switchboard.compute.math;

import java.math.BigInteger;
import java.util.OptionalDouble;

/**
 * Exact values of the Ackermann–Péter function through its closed forms, since the recursive
 * definition needs about A(m, n) steps: A(0,n) = n+1, A(1,n) = n+2, A(2,n) = 2n+3, A(3,n) =
 * 2^(n+3) − 3, and A(4,n) = 2↑↑(n+3) − 3 (a tower of n+3 twos), of which only n ≤ 2 can be written
 * down: A(4,2) = 2^65536 − 3 has 19,729 digits while A(4,3) has about 10^19727. For m ≥ 5 only
 * A(5,0) = A(4,1) = 65533 is representable.
 */
public final class Ackermann {

    private static final double LOG10_2 = Math.log10(2);

    private Ackermann() {}

    /**
     * Decimal digits of A(m, n), or empty when the value cannot be represented in any memory (the
     * caller must refuse it before calling {@link #of}).
     */
    public static OptionalDouble estimatedDigits(long m, long n) {
        if (m <= 2) {
            return OptionalDouble.of(Math.floor(Math.log10(2.0 * n + 3)) + 1);
        }
        if (m == 3) {
            return OptionalDouble.of(Math.floor((n + 3.0) * LOG10_2) + 1);
        }
        if (m == 4 && n <= 2) {
            return OptionalDouble.of(new double[] {2, 5, 19_729}[(int) n]);
        }
        if (m == 5 && n == 0) {
            return OptionalDouble.of(5);
        }
        return OptionalDouble.empty();
    }

    public static BigInteger of(long m, long n) {
        if (m < 0 || n < 0) {
            throw new IllegalArgumentException("m and n must be non-negative, were " + m + " and " + n);
        }
        BigInteger bigN = BigInteger.valueOf(n);
        return switch ((int) Math.min(m, 6)) {
            case 0 -> bigN.add(BigInteger.ONE);
            case 1 -> bigN.add(BigInteger.TWO);
            case 2 -> bigN.shiftLeft(1).add(BigInteger.valueOf(3));
            case 3 -> BigInteger.ONE.shiftLeft(Math.toIntExact(n + 3)).subtract(BigInteger.valueOf(3));
            case 4 -> fourth(n);
            case 5 -> {
                if (n == 0) {
                    yield fourth(1);
                }
                throw unrepresentable(m, n);
            }
            default -> throw unrepresentable(m, n);
        };
    }

    /** A(4, n) = 2↑↑(n+3) − 3 for the three representable n. */
    private static BigInteger fourth(long n) {
        if (n > 2) {
            throw unrepresentable(4, n);
        }
        BigInteger tower = BigInteger.ONE; // 2↑↑0
        for (int level = 0; level < n + 3; level++) {
            tower = BigInteger.ONE.shiftLeft(tower.intValueExact());
        }
        return tower.subtract(BigInteger.valueOf(3));
    }

    private static ArithmeticException unrepresentable(long m, long n) {
        return new ArithmeticException("A(" + m + ", " + n + ") has too many digits to represent");
    }
}
