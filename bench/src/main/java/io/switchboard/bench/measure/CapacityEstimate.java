package io.switchboard.bench.measure;

import io.switchboard.bench.BenchResult.Capacity;
import io.switchboard.bench.BenchResult.StepResult;
import java.time.Duration;
import java.util.List;

/**
 * The capacity estimate: the highest step (by throughput) whose p99 stayed under the objective with
 * fewer than {@link #MAX_ERROR_RATIO} of its requests failing. A step that answered quickly with
 * errors is not capacity, so errors disqualify it.
 */
public final class CapacityEstimate {

    /** Share of failed requests above which a step cannot count as within the objective. */
    public static final double MAX_ERROR_RATIO = 0.01;

    private CapacityEstimate() {}

    public static Capacity of(List<StepResult> steps, Duration sloP99) {
        double sloMs = sloP99.toNanos() / 1_000_000.0;
        StepResult best = null;
        for (StepResult step : steps) {
            boolean withinSlo = step.latency().count() > 0 && step.latency().p99() <= sloMs;
            boolean fewErrors = step.requests() > 0 && step.errorRate() < MAX_ERROR_RATIO;
            if (withinSlo && fewErrors && (best == null || step.throughput() > best.throughput())) {
                best = step;
            }
        }
        return best == null ? new Capacity(sloMs, null, 0) : new Capacity(sloMs, best.name(), best.throughput());
    }
}
