package io.switchboard.compute.math;

import java.math.BigInteger;

/**
 * Chooses between {@link BigInteger#multiply} and {@link BigInteger#parallelMultiply}: the parallel
 * form splits Toom-Cook products across the common fork-join pool, which only pays off once the
 * operands are large; below that its task overhead makes it slower.
 */
final class Multiplication {

    /** Operand size, in bits, from which a product is split across cores. */
    private static final int PARALLEL_THRESHOLD_BITS = 1 << 20;

    private Multiplication() {}

    static BigInteger multiply(BigInteger x, BigInteger y) {
        if (x.bitLength() >= PARALLEL_THRESHOLD_BITS && y.bitLength() >= PARALLEL_THRESHOLD_BITS) {
            return x.parallelMultiply(y);
        }
        return x.multiply(y);
    }
}
