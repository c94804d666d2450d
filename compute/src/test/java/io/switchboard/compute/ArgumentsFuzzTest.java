package io.switchboard.compute;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.switchboard.platform.problem.ProblemException;

/**
 * Coverage-guided fuzzing of compute's path arguments ({@code /fibonacci/{n}}, {@code
 * /ackermann/{m}/{n}}, {@code /factorial/{n}}): any text is a non-negative number equal to its
 * decimal reading, or a 400 problem naming the parameter. The corpus beside this class is replayed
 * by the normal build; {@code benchmarks/fuzz.sh} fuzzes longer.
 */
class ArgumentsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void pathArgumentsAreNonNegativeNumbersOrA400NamingTheParameter(FuzzedDataProvider data) {
        String raw = data.consumeRemainingAsString();
        try {
            long n = Arguments.nonNegative("n", raw);
            assertThat(n).isNotNegative();
            assertThat(Long.toString(n)).isEqualTo(raw.replaceFirst("^0+(?=.)", ""));
        } catch (ProblemException refused) {
            assertThat(refused.problem().status()).isEqualTo(400);
            assertThat(refused.problem().parameter()).isEqualTo("n");
        }
    }
}
