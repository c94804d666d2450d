package io.switchboard.compute.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class FibonacciTest {

    /** OEIS A000045, F(0) to F(20). */
    private static final long[] FIRST = {
        0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181, 6765
    };

    private static BigInteger fib(long n) {
        return Fibonacci.of(n, Cancellation.NONE);
    }

    @Test
    void matchesTheFirstOeisTerms() {
        for (int n = 0; n < FIRST.length; n++) {
            assertThat(fib(n)).as("F(%d)", n).isEqualTo(BigInteger.valueOf(FIRST[n]));
        }
    }

    @Test
    void matchesKnownLargeValues() {
        assertThat(fib(100)).isEqualTo(new BigInteger("354224848179261915075"));
        assertThat(fib(400).toString())
                .isEqualTo("176023680645013966468226945392411250770384383304492191886725992896575345044216019675");
        assertThat(fib(1000).toString()).hasSize(209).startsWith("43466557686937456435688527675040625802564");
    }

    @Test
    void agreesWithTheIterativeDefinitionUpTo2000() {
        BigInteger a = BigInteger.ZERO;
        BigInteger b = BigInteger.ONE;
        for (int n = 0; n <= 2000; n++) {
            assertThat(fib(n)).as("F(%d)", n).isEqualTo(a);
            BigInteger next = a.add(b);
            a = b;
            b = next;
        }
    }

    @Test
    void satisfiesTheDoublingAndAdditionIdentitiesForRandomArguments() {
        long seed = 20_261_123L;
        System.out.println("FibonacciTest seed " + seed);
        Random random = new Random(seed);
        for (int i = 0; i < 200; i++) {
            long k = 1L + random.nextInt(50_000);
            long m = 1L + random.nextInt(20_000);
            BigInteger fk = fib(k);
            BigInteger fk1 = fib(k + 1);
            // F(2k) = F(k)(2F(k+1) − F(k))
            assertThat(fib(2 * k))
                    .as("F(2·%d)", k)
                    .isEqualTo(fk.multiply(fk1.shiftLeft(1).subtract(fk)));
            // F(m+k) = F(m)F(k+1) + F(m−1)F(k)
            assertThat(fib(m + k))
                    .as("F(%d+%d)", m, k)
                    .isEqualTo(fib(m).multiply(fk1).add(fib(m - 1).multiply(fk)));
        }
    }

    @Test
    void estimatedDigitsAreWithinOneOfTheTruth() {
        for (long n : new long[] {0, 1, 2, 7, 50, 999, 10_000, 123_457}) {
            assertThat(Fibonacci.estimatedDigits(n))
                    .as("digits of F(%d)", n)
                    .isCloseTo(fib(n).toString().length(), org.assertj.core.data.Offset.offset(1.0));
        }
    }

    @Test
    void stopsWhenCancelled() {
        assertThatThrownBy(() -> Fibonacci.of(1_000_000, () -> true)).isInstanceOf(CancellationException.class);
    }

    @Test
    void rejectsNegativeArguments() {
        assertThatThrownBy(() -> fib(-1)).hasMessage("n must be non-negative, was -1");
    }
}
