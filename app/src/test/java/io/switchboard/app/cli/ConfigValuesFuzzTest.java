package io.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import picocli.CommandLine.TypeConversionException;

/**
 * Coverage-guided fuzzing of configuration values read from flags, environment variables and the
 * YAML file: a duration is read or refused with a one-line conversion error (what picocli prints
 * naming the option), never another exception. The corpus beside this class is replayed by the
 * normal build; {@code benchmarks/fuzz.sh} fuzzes longer.
 */
class ConfigValuesFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void durationsAreReadOrRefusedWithAConversionError(FuzzedDataProvider data) {
        String value = data.consumeRemainingAsString();
        try {
            Duration duration = new DurationConverter().convert(value);
            assertThat(duration).isNotNull();
        } catch (TypeConversionException refused) {
            assertThat(refused.getMessage()).contains("is not a duration");
            assertThat(refused.getMessage()).doesNotContain("\n");
        }
    }
}
