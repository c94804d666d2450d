package io.switchboard.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a run, as written to {@code result.json}: the plan in words, one entry per step,
 * the steps merged, the capacity estimate and the server-side series.
 *
 * @param startedAt when the run started (ISO 8601)
 * @param model {@code closed} or {@code open}
 * @param target the first request, e.g. {@code GET http://127.0.0.1:8080/}
 * @param client the load generator's setup, e.g. {@code Vert.x HttpClient, epoll, 2 event loops}
 * @param steps one result per step, in order
 * @param overall all steps merged (throughput over the sum of their durations)
 * @param capacity the capacity estimate; null when no SLO was given
 * @param scraped server-side series sampled during the run; empty when none
 * @param warmups the unmeasured warm-ups, apart from the results; empty when there was none
 * @param verdict the thresholds' verdict; null when none was asked for
 * @param histograms latency histograms (nanoseconds) by step name, then {@code overall}: the
 *     {@code .hgrm} files are written from them; not part of the JSON
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BenchResult(
        String startedAt,
        String model,
        String target,
        String client,
        List<StepResult> steps,
        StepResult overall,
        @Nullable Capacity capacity,
        List<Series> scraped,
        List<Warmup> warmups,
        @Nullable Verdict verdict,
        @JsonIgnore Map<String, Histogram> histograms) {

    /** This result with the thresholds' verdict. */
    public BenchResult withVerdict(Verdict verdict) {
        return new BenchResult(
                startedAt, model, target, client, steps, overall, capacity, scraped, warmups, verdict, histograms);
    }

    /**
     * Whether the run met its thresholds ({@code --slo-p99}, {@code --slo-error-rate}). The run
     * passes when at least one step met every threshold: a single-step run passes when its step
     * did; a sweep passes when some load level met the objectives (the same rule as the capacity
     * estimate), since its higher steps are meant to find where they stop being met.
     *
     * @param passed whether some step met every threshold
     * @param step the highest-throughput step that met them; null if none
     * @param missed one line per step and threshold missed, e.g. {@code c=64: p99 312 ms > 200 ms}
     */
    public record Verdict(boolean passed, @Nullable String step, List<String> missed) {}

    /**
     * One measured step.
     *
     * @param name {@code c=64} or {@code rate=500/s}
     * @param concurrency users (closed model) or most connections (open model)
     * @param rate offered requests per second; 0 in the closed model
     * @param startSeconds when the measured part started, in seconds since the run started
     * @param seconds how long it lasted
     * @param requests requests sent: answered or timed out; a connection that could not be made
     *     is no request, only a connection error
     * @param throughput answered requests per second (any status); connection errors and
     *     timeouts are not throughput
     * @param latency from the intended send time (open model) or the send time (closed model)
     * @param serviceTime open model only: from the actual send time, which a stalled server hides
     * @param sendLag open model only: how late the generator handed requests to the client after
     *     their due time; a p99 of more than a few ms means the generator itself fell behind
     * @param errors failures by kind
     * @param timeline one point per second
     * @param bytes body bytes received
     * @param bytesPerSecond body bytes received per second
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StepResult(
            String name,
            int concurrency,
            double rate,
            double startSeconds,
            double seconds,
            long requests,
            double throughput,
            Latency latency,
            @Nullable Latency serviceTime,
            @Nullable Latency sendLag,
            Errors errors,
            @Nullable List<TimePoint> timeline,
            long bytes,
            double bytesPerSecond) {

        /** Failures of every kind over the attempts (requests plus connections that failed); 0 with no attempt. */
        @JsonProperty("errorRate")
        public double errorRate() {
            long attempts = requests + errors.connection();
            return attempts == 0 ? 0 : (double) errors.total() / attempts;
        }
    }

    /** Latency percentiles in milliseconds. */
    public record Latency(
            long count,
            double mean,
            double p50,
            double p90,
            double p99,
            @JsonProperty("p99.9") double p999,
            @JsonProperty("p99.99") double p9999,
            double max) {

        public static final Latency EMPTY = new Latency(0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Failures by kind.
     *
     * @param status answers with status 400 or above
     * @param timeout requests without an answer (or a connection) in time
     * @param connection refused, reset or otherwise broken connections
     * @param byStatus answers by status code, successes included
     */
    public record Errors(long status, long timeout, long connection, Map<Integer, Long> byStatus) {

        public long total() {
            return status + timeout + connection;
        }
    }

    /** One second of a step: its start (seconds since the run started) and what happened in it. */
    public record TimePoint(double t, double throughput, double p50, double p99, double max, long errors) {}

    /**
     * The capacity estimate.
     *
     * @param sloP99Ms the objective
     * @param step the highest step whose p99 stayed under it with under 1% errors; null if none
     * @param throughput that step's throughput; 0 if none
     */
    public record Capacity(double sloP99Ms, @Nullable String step, double throughput) {}

    /**
     * An unmeasured warm-up, reported apart: how fast the target answered while the JIT (of the
     * client and of a JVM server) was still compiling.
     *
     * @param before the step it preceded, e.g. {@code c=64}
     * @param seconds how long it lasted
     * @param requests requests answered or failed during it
     * @param throughput requests per second
     * @param latency its latency percentiles
     * @param errors its failures, all kinds together
     */
    public record Warmup(
            String before, double seconds, long requests, double throughput, Latency latency, long errors) {}

    /** A server-side gauge over time: {@code [t, value]} pairs, t in seconds since the run started. */
    public record Series(String name, List<double[]> points) {}
}
