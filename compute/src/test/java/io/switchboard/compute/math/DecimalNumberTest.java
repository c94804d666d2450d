package io.switchboard.compute.math;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The decimal-radix paths must agree digit for digit with the BigInteger ones, across the crossover. */
class DecimalNumberTest {

    @Test
    void fibonacciInDecimalAgreesWithBinaryBelowAndAboveTheCrossover() {
        long seed = 1_123L;
        System.out.println("DecimalNumberTest fibonacci seed " + seed);
        Random random = new Random(seed);
        for (long n : new long[] {0, 1, 2, 93, 94, 1_600_001}) {
            assertThat(Fibonacci.decimal(n, Cancellation.NONE))
                    .as("F(%d)", n)
                    .isEqualTo(Fibonacci.of(n, Cancellation.NONE).toString());
        }
        for (int i = 0; i < 2; i++) {
            // F(n) has about 0.694·n bits: these cross DecimalNumber.CROSSOVER_BITS.
            long n = (long) (DecimalNumber.CROSSOVER_BITS / 0.694) + random.nextInt(400_000);
            assertThat(Fibonacci.decimal(n, Cancellation.NONE))
                    .as("F(%d)", n)
                    .isEqualTo(Fibonacci.of(n, Cancellation.NONE).toString());
        }
    }

    @Test
    void factorialInDecimalAgreesWithBinaryBelowAndAboveTheCrossover() {
        long seed = 2_024L;
        System.out.println("DecimalNumberTest factorial seed " + seed);
        Random random = new Random(seed);
        for (long n : new long[] {0, 1, 2, 20, 21, 9_000, 100_001}) {
            assertThat(Factorial.decimal(n, Cancellation.NONE))
                    .as("%d!", n)
                    .isEqualTo(Factorial.of(n, Cancellation.NONE).toString());
        }
        for (int i = 0; i < 3; i++) {
            // n! has about n·log2(n) bits: these cross DecimalNumber.CROSSOVER_BITS.
            long n = 70_000L + random.nextInt(60_000);
            assertThat(Factorial.decimal(n, Cancellation.NONE))
                    .as("%d!", n)
                    .isEqualTo(Factorial.of(n, Cancellation.NONE).toString());
        }
    }
}
