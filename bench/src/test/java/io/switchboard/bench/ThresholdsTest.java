package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.bench.BenchResult.Errors;
import io.switchboard.bench.BenchResult.Latency;
import io.switchboard.bench.BenchResult.StepResult;
import io.switchboard.bench.BenchResult.Verdict;
import io.switchboard.bench.measure.Thresholds;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdsTest {

    @Test
    void aStepOverTheP99IsMissedWithBothValues() {
        Verdict verdict = new Thresholds(Duration.ofMillis(200), null).judge(List.of(step("c=1", 100, 312.5, 0, 0)));

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.missed()).containsExactly("c=1: p99 312.50 ms > 200 ms");
    }

    @Test
    void connectionErrorsCountInTheErrorRate() {
        // 100 answered, 50 refused: a third of the attempts failed.
        Verdict verdict = new Thresholds(null, 0.01).judge(List.of(step("c=1", 100, 5, 0, 50)));

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.missed()).containsExactly("c=1: error rate 33.33% > 1%");
    }

    @Test
    void aSweepPassesWhenSomeStepMetEveryThreshold() {
        Verdict verdict = new Thresholds(Duration.ofMillis(200), 0.01)
                .judge(List.of(step("c=1", 100, 20, 0, 0), step("c=64", 900, 450, 0, 0)));

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.step()).isEqualTo("c=1");
        assertThat(verdict.missed()).containsExactly("c=64: p99 450.00 ms > 200 ms");
    }

    @Test
    void nothingAnsweredMissesEveryThreshold() {
        Verdict verdict = new Thresholds(Duration.ofSeconds(1), null).judge(List.of(step("c=1", 0, 0, 0, 3000)));

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.missed().getFirst()).contains("no request", "3000 connection errors");
    }

    @Test
    void anErrorRateAboveOneIsRefused() {
        assertThatThrownBy(() -> new Thresholds(null, 1.5)).hasMessageContaining("--slo-error-rate");
    }

    static StepResult step(String name, long requests, double p99, long statusErrors, long connectionErrors) {
        return new StepResult(
                name,
                1,
                0,
                0,
                1,
                requests,
                requests,
                new Latency(requests, p99 / 2, p99 / 2, p99 / 2, p99, p99, p99, p99),
                null,
                null,
                new Errors(statusErrors, 0, connectionErrors, Map.of()),
                List.of(),
                0,
                0);
    }
}
