package io.switchboard.compute.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class FactorialTest {

    private static BigInteger naive(long n) {
        BigInteger product = BigInteger.ONE;
        for (long i = 2; i <= n; i++) {
            product = product.multiply(BigInteger.valueOf(i));
        }
        return product;
    }

    @Test
    void matchesKnownValues() {
        // OEIS A000142
        long[] known = {1, 1, 2, 6, 24, 120, 720, 5040, 40320, 362880, 3628800};
        for (int n = 0; n < known.length; n++) {
            assertThat(Factorial.of(n, Cancellation.NONE)).as("%d!", n).isEqualTo(BigInteger.valueOf(known[n]));
        }
        assertThat(Factorial.of(20, Cancellation.NONE)).isEqualTo(new BigInteger("2432902008176640000"));
        assertThat(Factorial.of(25, Cancellation.NONE)).isEqualTo(new BigInteger("15511210043330985984000000"));
    }

    @Test
    void equalsTheNaiveProductForEveryNUpTo300() {
        BigInteger product = BigInteger.ONE;
        for (int n = 1; n <= 300; n++) {
            product = product.multiply(BigInteger.valueOf(n));
            assertThat(Factorial.of(n, Cancellation.NONE)).as("%d!", n).isEqualTo(product);
        }
    }

    @Test
    void equalsTheNaiveProductForRandomLargerN() {
        long seed = 4_242L;
        System.out.println("FactorialTest seed " + seed);
        Random random = new Random(seed);
        for (int i = 0; i < 20; i++) {
            long n = 300L + random.nextInt(5_000);
            assertThat(Factorial.of(n, Cancellation.NONE)).as("%d!", n).isEqualTo(naive(n));
        }
    }

    @Test
    void satisfiesTheRecurrenceForRandomN() {
        long seed = 77L;
        System.out.println("FactorialTest recurrence seed " + seed);
        Random random = new Random(seed);
        for (int i = 0; i < 20; i++) {
            long n = 1L + random.nextInt(20_000);
            assertThat(Factorial.of(n, Cancellation.NONE))
                    .as("%d! = %d · (%d−1)!", n, n, n)
                    .isEqualTo(Factorial.of(n - 1, Cancellation.NONE).multiply(BigInteger.valueOf(n)));
        }
    }

    @Test
    void estimatedDigitsAreWithinOneOfTheTruth() {
        for (long n : new long[] {0, 1, 5, 10, 100, 1000, 25_000}) {
            assertThat(Factorial.estimatedDigits(n))
                    .as("digits of %d!", n)
                    .isCloseTo(Factorial.of(n, Cancellation.NONE).toString().length(), Offset.offset(1.0));
        }
    }

    @Test
    void stopsWhenCancelled() {
        assertThatThrownBy(() -> Factorial.of(100_000, () -> true)).isInstanceOf(CancellationException.class);
    }
}
