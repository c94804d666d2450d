package io.switchboard.bench.measure;

import io.switchboard.bench.BenchResult.Errors;
import io.switchboard.bench.BenchResult.Latency;
import io.switchboard.bench.BenchResult.TimePoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * Collects one step's measurements.
 *
 * <p>Threading: {@link #response}, {@link #timeout} and {@link #connectionError} are called from
 * every event loop at once; HdrHistogram's {@link Recorder} makes recording wait-free and the
 * counters are {@link LongAdder}s. {@link #sample} and {@link #totals} are called from one thread
 * at a time (the sampling timer, then the run's thread after the step): each sample swaps the
 * recorders' interval histograms and adds them to the step's totals, so per-second points and the
 * step's percentiles come from the same values.
 */
public final class StepRecorder {

    /** Largest latency tracked (one hour); longer values are clamped to it. */
    static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

    /** Significant decimal digits kept: 0.1% resolution at any magnitude. */
    static final int SIGNIFICANT_DIGITS = 3;

    /** Highest status code counted in the array; others (non-standard) go to a map. */
    private static final int MAX_STATUS = 599;

    /**
     * @param separateServiceTime whether latency and service time differ (open model); in the
     *     closed model they are the same value, recorded once
     */
    public StepRecorder(boolean separateServiceTime) {
        this.separateServiceTime = separateServiceTime;
        for (int status = 100; status <= MAX_STATUS; status++) {
            byStatus[status] = new LongAdder();
        }
    }

    private final Recorder latency = new Recorder(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    private final Recorder serviceTime = new Recorder(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    private final Recorder sendLag = new Recorder(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    private final LongAdder answered = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder statusErrors = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder connectionErrors = new LongAdder();
    private final LongAdder[] byStatus = new LongAdder[MAX_STATUS + 1];
    private final Map<Integer, LongAdder> unusualStatus = new ConcurrentHashMap<>();
    private final boolean separateServiceTime;

    private final Histogram latencyTotal = new Histogram(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    private final Histogram serviceTotal = new Histogram(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    private final Histogram sendLagTotal = new Histogram(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    private final List<TimePoint> timeline = new ArrayList<>();
    /** Recycled by each sample; null until the first. */
    private @Nullable Histogram latencyInterval;

    private @Nullable Histogram serviceInterval;
    private @Nullable Histogram sendLagInterval;
    private long errorsAtLastSample;
    private long answeredAtLastSample;

    /**
     * Records an answer.
     *
     * @param latencyNanos from the intended send time (the send time in the closed model)
     * @param serviceNanos from the actual send time
     */
    public void response(int status, long latencyNanos, long serviceNanos) {
        response(status, latencyNanos, serviceNanos, 0);
    }

    /**
     * Records an answer and the bytes of its body.
     *
     * @param bodyBytes bytes of the answer's body as received (compressed if it was)
     */
    public void response(int status, long latencyNanos, long serviceNanos, long bodyBytes) {
        answered.increment();
        bytes.add(bodyBytes);
        latency.recordValue(clamp(latencyNanos));
        if (separateServiceTime) {
            serviceTime.recordValue(clamp(serviceNanos));
        }
        if (status >= 100 && status <= MAX_STATUS) {
            byStatus[status].increment();
        } else {
            unusualStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
        }
        if (status >= 400) {
            statusErrors.increment();
        }
    }

    /** Records a request that got no answer in time; its wait counts as its latency. */
    public void timeout(long latencyNanos, long serviceNanos) {
        latency.recordValue(clamp(latencyNanos));
        if (separateServiceTime) {
            serviceTime.recordValue(clamp(serviceNanos));
        }
        timeouts.increment();
    }

    /**
     * Records how late the open model's generator handed a request to the client, after its due
     * time: the generator's own delay (a busy event loop, timer granularity), not the server's.
     */
    public void sendLag(long lagNanos) {
        sendLag.recordValue(clamp(lagNanos));
    }

    /**
     * Records a refused, reset or broken connection. It has no latency and is no request answered:
     * it counts only as a connection error, never in throughput or percentiles (a refused connect
     * takes microseconds, and counting it would make a dead server look fast).
     */
    public void connectionError() {
        connectionErrors.increment();
    }

    /**
     * Closes the current interval and returns its point.
     *
     * @param t start of the interval, seconds since the run started
     * @param seconds length of the interval
     */
    public synchronized TimePoint sample(double t, double seconds) {
        latencyInterval = latency.getIntervalHistogram(latencyInterval);
        serviceInterval = serviceTime.getIntervalHistogram(serviceInterval);
        latencyTotal.add(latencyInterval);
        serviceTotal.add(serviceInterval);
        sendLagInterval = sendLag.getIntervalHistogram(sendLagInterval);
        sendLagTotal.add(sendLagInterval);
        long errors = errorsTotal();
        long newErrors = errors - errorsAtLastSample;
        errorsAtLastSample = errors;
        long answers = answered.sum();
        long newCount = answers - answeredAtLastSample;
        answeredAtLastSample = answers;
        Latency l = Percentiles.of(latencyInterval);
        TimePoint point = new TimePoint(
                round(t), seconds > 0 ? round(newCount / seconds) : 0, l.p50(), l.p99(), l.max(), newErrors);
        timeline.add(point);
        return point;
    }

    /** Everything recorded so far, after a last {@link #sample}. */
    public synchronized Totals totals() {
        Map<Integer, Long> statuses = new TreeMap<>();
        for (int status = 100; status <= MAX_STATUS; status++) {
            long count = byStatus[status].sum();
            if (count > 0) {
                statuses.put(status, count);
            }
        }
        unusualStatus.forEach((status, count) -> statuses.put(status, count.sum()));
        Errors errors = new Errors(statusErrors.sum(), timeouts.sum(), connectionErrors.sum(), statuses);
        return new Totals(
                latencyTotal.copy(),
                separateServiceTime ? serviceTotal.copy() : latencyTotal.copy(),
                sendLagTotal.copy(),
                errors,
                latencyTotal.getTotalCount(),
                answered.sum(),
                bytes.sum(),
                List.copyOf(timeline));
    }

    private long errorsTotal() {
        return statusErrors.sum() + timeouts.sum() + connectionErrors.sum();
    }

    private static long clamp(long nanos) {
        return Math.max(0, Math.min(nanos, HIGHEST_NANOS));
    }

    private static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }

    /**
     * A step's totals: histograms (nanoseconds), errors, counts and per-second points.
     *
     * @param requests requests sent: answered or timed out (connection errors are not requests)
     * @param answered requests with an answer, whatever its status: the throughput's numerator
     * @param bytes body bytes received
     */
    public record Totals(
            Histogram latency,
            Histogram serviceTime,
            Histogram sendLag,
            Errors errors,
            long requests,
            long answered,
            long bytes,
            List<TimePoint> timeline) {}
}
