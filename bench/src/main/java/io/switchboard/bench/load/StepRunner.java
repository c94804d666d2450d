package io.switchboard.bench.load;

import io.switchboard.bench.BenchPlan;
import io.switchboard.bench.BenchResult.TimePoint;
import io.switchboard.bench.BenchResult.Warmup;
import io.switchboard.bench.LoadModel;
import io.switchboard.bench.LoadModel.Step;
import io.switchboard.bench.Progress;
import io.switchboard.bench.RequestSpec;
import io.switchboard.bench.Ticker;
import io.switchboard.bench.measure.Percentiles;
import io.switchboard.bench.measure.StepRecorder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Locale;

/**
 * Runs one step: opens a transport sized for it, runs the unmeasured warm-up (recorded apart), then the measured
 * period with a one-second sampling timer, and closes the transport.
 *
 * <p>Threading: load runs on the event loops (see {@link ClosedLoop}, {@link OpenLoop}); the
 * sampling timer runs on an event loop too and only reads the wait-free recorders.
 */
public final class StepRunner {

    /** Period of the per-second points and of the progress line. */
    static final long SAMPLE_MS = 1000;

    private final Vertx vertx;
    private final BenchPlan plan;
    private final Ticker ticker;
    private final long runStartNanos;
    private final Progress progress;

    public StepRunner(Vertx vertx, BenchPlan plan, Ticker ticker, long runStartNanos, Progress progress) {
        this.vertx = vertx;
        this.plan = plan;
        this.ticker = ticker;
        this.runStartNanos = runStartNanos;
        this.progress = progress;
    }

    /**
     * A finished step: when its measured part started and ended (nanos), what it recorded, and its
     * warm-up (null when it had none).
     */
    public record Outcome(Step step, long startNanos, long endNanos, StepRecorder.Totals totals, Warmup warmup) {}

    /**
     * I/O threads when none are asked for: one for plain http to one origin, whose selector thread
     * batches the answers of all connections per wake-up as wrk -t1 does (measured on 2 loaded
     * cores: 22k req/s and 11 µs of CPU per request against 18k and 13.5 µs with two threads,
     * which also compete with the server for the cores); one per core for Vert.x's client.
     */
    public static int defaultLoops(List<RequestSpec> requests) {
        return PlainHttpTransport.supports(requests) ? 1 : Runtime.getRuntime().availableProcessors();
    }

    /** How the requests are sent (which transport, how many I/O threads), for the report. */
    public String client() {
        return Transport.describe(vertx, plan.requests(), plan.eventLoops());
    }

    /** Runs step {@code index} (0-based) of {@code count}. */
    public Future<Outcome> run(Step step, int index, int count) {
        int connections = step.concurrency();
        return Transport.open(vertx, plan.requests(), plan.eventLoops(), connections, plan.timeout(), ticker)
                .compose(transport -> warmUp(transport, step, index)
                        .compose(warmup -> measure(transport, step, index, count, warmup))
                        .eventually(transport::close));
    }

    /** Primes the transport, then runs the warm-up if this step has one; null when it has none. */
    private Future<Warmup> warmUp(Transport transport, Step step, int index) {
        Future<Void> primed = prime(transport);
        if (!plan.warmsUpBefore(index)) {
            return primed.map(done -> null);
        }
        return primed.compose(done -> {
            progress.update(
                    "warming up " + step.name() + " for " + plan.warmup().toMillis() + " ms (not measured)");
            StepRecorder recorder = new StepRecorder(false);
            long start = ticker.nanoTime();
            return generate(transport, step, start, start + plan.warmup().toNanos(), RequestBudget.of(0), recorder)
                    .map(done2 -> {
                        long nanos = ticker.nanoTime() - start;
                        recorder.sample(seconds(start - runStartNanos), seconds(nanos));
                        return warmup(step, recorder.totals(), nanos);
                    });
        });
    }

    private static Warmup warmup(Step step, StepRecorder.Totals totals, long nanos) {
        double seconds = nanos / 1e9;
        return new Warmup(
                step.name(),
                Math.round(seconds * 1000) / 1000.0,
                totals.requests(),
                seconds > 0 ? Math.round(totals.answered() / seconds * 1000) / 1000.0 : 0,
                Percentiles.of(totals.latency()),
                totals.errors().total());
    }

    /**
     * Sends one unmeasured request per event loop, even without a warm-up: the first requests of a
     * fresh JVM pay for class loading and connection setup, which is not the server's latency.
     */
    private Future<Void> prime(Transport transport) {
        int loops = transport.loopCount();
        return new ClosedLoop(transport, ticker)
                .run(
                        loops,
                        ticker.nanoTime() + plan.timeout().toNanos(),
                        RequestBudget.of(loops),
                        new StepRecorder(false));
    }

    private Future<Outcome> measure(Transport transport, Step step, int index, int count, Warmup warmup) {
        StepRecorder recorder = new StepRecorder(plan.load() instanceof LoadModel.Open);
        long start = ticker.nanoTime();
        long deadline = start + plan.stepDuration().toNanos();
        Sampler sampler = new Sampler(recorder, start);
        long timer = vertx.setPeriodic(SAMPLE_MS, id -> {
            TimePoint point = sampler.sample(ticker.nanoTime());
            progress.update(progressLine(step, index, count, ticker.nanoTime() - start, point));
        });
        return generate(transport, step, start, deadline, RequestBudget.of(plan.requestsPerStep()), recorder)
                .map(done -> {
                    vertx.cancelTimer(timer);
                    long end = ticker.nanoTime();
                    sampler.sample(end);
                    return new Outcome(step, start, end, recorder.totals(), warmup);
                });
    }

    /** Closes one interval per call; the timer and the step's end may call it from two threads. */
    private final class Sampler {

        private final StepRecorder recorder;
        private long lastNanos;

        Sampler(StepRecorder recorder, long startNanos) {
            this.recorder = recorder;
            this.lastNanos = startNanos;
        }

        synchronized TimePoint sample(long nowNanos) {
            TimePoint point = recorder.sample(seconds(lastNanos - runStartNanos), seconds(nowNanos - lastNanos));
            lastNanos = nowNanos;
            return point;
        }
    }

    private Future<Void> generate(
            Transport transport, Step step, long start, long deadline, RequestBudget budget, StepRecorder recorder) {
        if (plan.load() instanceof LoadModel.Open) {
            ArrivalSchedule schedule = new ArrivalSchedule(start, step.rate(), deadline);
            return new OpenLoop(vertx, transport, ticker).run(schedule, budget, recorder);
        }
        return new ClosedLoop(transport, ticker).run(step.concurrency(), deadline, budget, recorder);
    }

    private String progressLine(Step step, int index, int count, long elapsedNanos, TimePoint point) {
        return String.format(
                Locale.ROOT,
                "step %d/%d %s  %.0fs/%ds  %,.0f req/s  p50 %.2f ms  p99 %.2f ms  max %.2f ms  errors %d",
                index + 1,
                count,
                step.name(),
                seconds(elapsedNanos),
                plan.stepDuration().toSeconds(),
                point.throughput(),
                point.p50(),
                point.p99(),
                point.max(),
                point.errors());
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
