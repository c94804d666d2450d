package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.BenchResult.Errors;
import io.switchboard.bench.BenchResult.Latency;
import io.switchboard.bench.BenchResult.StepResult;
import io.switchboard.bench.measure.CapacityEstimate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapacityEstimateTest {

    @Test
    void capacityIsTheFastestStepWithinTheObjectiveAndWithoutErrors() {
        List<StepResult> steps = List.of(
                step("c=1", 1000, 5, 0),
                step("c=8", 6000, 40, 0),
                step("c=16", 7000, 150, 500), // within the objective, but 7% errors
                step("c=32", 7500, 450, 0)); // over the objective

        BenchResult.Capacity capacity = CapacityEstimate.of(steps, Duration.ofMillis(200));

        assertThat(capacity.step()).isEqualTo("c=8");
        assertThat(capacity.throughput()).isEqualTo(6000);
        assertThat(capacity.sloP99Ms()).isEqualTo(200);
    }

    @Test
    void noStepWithinTheObjectiveGivesNoCapacity() {
        BenchResult.Capacity capacity = CapacityEstimate.of(List.of(step("c=1", 10, 900, 0)), Duration.ofMillis(200));

        assertThat(capacity.step()).isNull();
    }

    private static StepResult step(String name, double throughput, double p99, long errors) {
        long requests = (long) throughput;
        return new StepResult(
                name,
                1,
                0,
                0,
                1,
                requests,
                throughput,
                new Latency(requests, p99 / 2, p99 / 2, p99 / 2, p99, p99, p99, p99),
                null,
                null,
                new Errors(errors, 0, 0, Map.of()),
                List.of(),
                0,
                0);
    }
}
