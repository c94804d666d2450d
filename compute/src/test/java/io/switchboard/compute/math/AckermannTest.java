package io.switchboard.compute.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AckermannTest {

    /** The recursive definition, memoised; feasible only for tiny arguments. */
    private final Map<String, Long> memo = new HashMap<>();

    private long recursive(long m, long n) {
        if (m == 0) {
            return n + 1;
        }
        String key = m + "," + n;
        Long known = memo.get(key);
        if (known != null) {
            return known;
        }
        long value = n == 0 ? recursive(m - 1, 1) : recursive(m - 1, recursive(m, n - 1));
        memo.put(key, value);
        return value;
    }

    @Test
    void closedFormsAgreeWithTheRecursiveDefinition() {
        for (int m = 0; m <= 3; m++) {
            for (int n = 0; n <= 8; n++) {
                assertThat(Ackermann.of(m, n)).as("A(%d, %d)", m, n).isEqualTo(BigInteger.valueOf(recursive(m, n)));
            }
        }
    }

    @Test
    void knowsTheRepresentableValuesBeyondM3() {
        assertThat(Ackermann.of(4, 0)).isEqualTo(BigInteger.valueOf(13));
        assertThat(Ackermann.of(4, 1)).isEqualTo(BigInteger.valueOf(65_533));
        assertThat(Ackermann.of(5, 0)).isEqualTo(BigInteger.valueOf(65_533));
        BigInteger a42 = Ackermann.of(4, 2);
        assertThat(a42).isEqualTo(BigInteger.TWO.pow(65_536).subtract(BigInteger.valueOf(3)));
        assertThat(a42.toString())
                .hasSize(19_729)
                .startsWith("2003529930406846464979072351560255750447825475569751419265016973");
    }

    @Test
    void estimatesDigitsAndKnowsWhatCannotBeRepresented() {
        assertThat(Ackermann.estimatedDigits(3, 10).getAsDouble()).isEqualTo(4); // 8189
        assertThat(Ackermann.estimatedDigits(4, 2).getAsDouble()).isEqualTo(19_729);
        assertThat(Ackermann.estimatedDigits(4, 3)).isEmpty();
        assertThat(Ackermann.estimatedDigits(5, 1)).isEmpty();
        assertThat(Ackermann.estimatedDigits(6, 0)).isEmpty();
        assertThatThrownBy(() -> Ackermann.of(4, 3)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void handlesHugeNForSmallM() {
        assertThat(Ackermann.of(2, Long.MAX_VALUE / 4))
                .isEqualTo(BigInteger.valueOf(Long.MAX_VALUE / 4)
                        .multiply(BigInteger.TWO)
                        .add(BigInteger.valueOf(3)));
    }
}
