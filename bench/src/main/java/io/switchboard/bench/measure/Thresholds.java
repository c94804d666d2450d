package io.switchboard.bench.measure;

import io.switchboard.bench.BenchResult.StepResult;
import io.switchboard.bench.BenchResult.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Pass/fail objectives of a run, as k6's thresholds: a p99 latency and a share of failed
 * attempts. See {@link Verdict} for how a sweep is judged.
 *
 * @param p99 the highest p99 latency allowed; null for no latency threshold
 * @param maxErrorRate the highest share of failed attempts allowed (0.01 = 1%); null for none
 */
public record Thresholds(@Nullable Duration p99, @Nullable Double maxErrorRate) {

    public Thresholds {
        if (p99 != null && (p99.isNegative() || p99.isZero())) {
            throw new IllegalArgumentException("--slo-p99 must be positive, was " + p99);
        }
        if (maxErrorRate != null && !(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            throw new IllegalArgumentException("--slo-error-rate must be from 0% to 100%, was " + maxErrorRate);
        }
    }

    /** Whether any threshold was asked for. */
    public boolean any() {
        return p99 != null || maxErrorRate != null;
    }

    /** Judges the steps: passed when at least one met every threshold. */
    public Verdict judge(List<StepResult> steps) {
        List<String> missed = new ArrayList<>();
        StepResult best = null;
        for (StepResult step : steps) {
            List<String> misses = misses(step);
            misses.forEach(miss -> missed.add(step.name() + ": " + miss));
            if (misses.isEmpty() && (best == null || step.throughput() > best.throughput())) {
                best = step;
            }
        }
        return new Verdict(best != null, best == null ? null : best.name(), List.copyOf(missed));
    }

    private List<String> misses(StepResult step) {
        List<String> misses = new ArrayList<>();
        if (step.requests() == 0) {
            misses.add("no request was answered or sent (" + step.errors().connection() + " connection errors)");
            return misses;
        }
        if (p99 != null) {
            double limitMs = p99.toNanos() / 1e6;
            if (step.latency().p99() > limitMs) {
                misses.add(String.format(
                        Locale.ROOT, "p99 %.2f ms > %s ms", step.latency().p99(), number(limitMs)));
            }
        }
        if (maxErrorRate != null && step.errorRate() > maxErrorRate) {
            misses.add(String.format(
                    Locale.ROOT, "error rate %.2f%% > %s%%", step.errorRate() * 100, number(maxErrorRate * 100)));
        }
        return misses;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
