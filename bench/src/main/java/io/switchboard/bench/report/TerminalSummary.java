package io.switchboard.bench.report;

import io.switchboard.bench.BenchResult;
import io.switchboard.bench.BenchResult.Capacity;
import io.switchboard.bench.BenchResult.Errors;
import io.switchboard.bench.BenchResult.Latency;
import io.switchboard.bench.BenchResult.StepResult;
import io.switchboard.bench.BenchResult.Warmup;
import java.util.Locale;

/** Formats a result as the table printed at the end of a run. */
public final class TerminalSummary {

    private static final String ROW = "%-14s %10s %12s %8s %9s %9s %9s %9s %9s %9s  %s%n";

    /** Send lag (p99) above which the summary warns that the generator could not keep its schedule. */
    static final double GENERATOR_LAG_WARNING_MS = 10;

    private TerminalSummary() {}

    public static String format(BenchResult result) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s model, %s (%s)%n", result.model(), result.target(), result.client()));
        out.append(String.format(
                Locale.ROOT,
                ROW,
                "step",
                "requests",
                "req/s",
                "MB/s",
                "p50 ms",
                "p90 ms",
                "p99 ms",
                "p99.9 ms",
                "p99.99",
                "max ms",
                "errors (status/timeout/connection)"));
        for (StepResult step : result.steps()) {
            out.append(row(step));
        }
        if (result.steps().size() > 1) {
            out.append(row(result.overall()));
        }
        for (Warmup warmup : result.warmups()) {
            out.append(String.format(
                    Locale.ROOT,
                    "warm-up before %s (not in the results): %.1f s, %,d requests, %,.0f req/s, p50 %s ms, p99 %s ms,"
                            + " errors %d%n",
                    warmup.before(),
                    warmup.seconds(),
                    warmup.requests(),
                    warmup.throughput(),
                    number(warmup.latency().p50()),
                    number(warmup.latency().p99()),
                    warmup.errors()));
        }
        for (StepResult step : result.steps()) {
            if (step.serviceTime() != null) {
                Latency service = step.serviceTime();
                out.append(String.format(
                        Locale.ROOT,
                        "%s: latency counts from the intended send time; from the actual send (what a closed-loop"
                                + " tool would report) p99 is %s ms, max %s ms%n",
                        step.name(),
                        number(service.p99()),
                        number(service.max())));
            }
            if (step.sendLag() != null && step.sendLag().p99() > GENERATOR_LAG_WARNING_MS) {
                out.append(String.format(
                        Locale.ROOT,
                        "%s: warning: the generator fell behind its schedule (send lag p99 %s ms): it, not only the"
                                + " server, was a bottleneck; use --warmup, a lower rate or more --event-loops%n",
                        step.name(),
                        number(step.sendLag().p99())));
            }
        }
        if (result.verdict() != null) {
            result.verdict()
                    .missed()
                    .forEach(miss ->
                            out.append("threshold missed: ").append(miss).append('\n'));
            out.append(
                    result.verdict().passed()
                            ? "thresholds: met by " + result.verdict().step() + "\n"
                            : "thresholds: not met by any step (exit code 99)\n");
        }
        Capacity capacity = result.capacity();
        if (capacity != null) {
            out.append(
                    capacity.step() == null
                            ? String.format(
                                    Locale.ROOT,
                                    "capacity: no step kept p99 under %s ms with under 1%% errors%n",
                                    number(capacity.sloP99Ms()))
                            : String.format(
                                    Locale.ROOT,
                                    "capacity: %s, %,.0f req/s with p99 under %s ms%n",
                                    capacity.step(),
                                    capacity.throughput(),
                                    number(capacity.sloP99Ms())));
        }
        return out.toString();
    }

    private static String row(StepResult step) {
        Latency l = step.latency();
        Errors e = step.errors();
        boolean none = l.count() == 0; // no answer: no latency to show, rather than a reassuring 0
        return String.format(
                Locale.ROOT,
                ROW,
                step.name(),
                String.format(Locale.ROOT, "%,d", step.requests()),
                String.format(Locale.ROOT, "%,.0f", step.throughput()),
                String.format(Locale.ROOT, "%.2f", step.bytesPerSecond() / 1e6),
                none ? "-" : number(l.p50()),
                none ? "-" : number(l.p90()),
                none ? "-" : number(l.p99()),
                none ? "-" : number(l.p999()),
                none ? "-" : number(l.p9999()),
                none ? "-" : number(l.max()),
                e.total() == 0 ? "0" : e.status() + "/" + e.timeout() + "/" + e.connection() + " " + e.byStatus());
    }

    private static String number(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.2f", ms);
    }
}
