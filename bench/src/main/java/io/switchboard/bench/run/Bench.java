package io.switchboard.bench.run;

import io.switchboard.bench.BenchPlan;
import io.switchboard.bench.BenchResult;
import io.switchboard.bench.BenchResult.Errors;
import io.switchboard.bench.BenchResult.Series;
import io.switchboard.bench.BenchResult.StepResult;
import io.switchboard.bench.LoadModel;
import io.switchboard.bench.LoadModel.Step;
import io.switchboard.bench.Progress;
import io.switchboard.bench.RequestSpec;
import io.switchboard.bench.Ticker;
import io.switchboard.bench.load.StepRunner;
import io.switchboard.bench.measure.CapacityEstimate;
import io.switchboard.bench.measure.Percentiles;
import io.switchboard.bench.measure.StepRecorder;
import io.switchboard.bench.scrape.PrometheusSampler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Runs a {@link BenchPlan} and returns its {@link BenchResult}.
 *
 * <p>Data flow: {@code plan → for each step: Transport (NIO selector threads for plain http, else Vert.x clients) →
 * ClosedLoop | OpenLoop → StepRecorder (HdrHistogram) → StepResult}, with a {@code
 * PrometheusSampler} beside the whole run when gauges are to be scraped; then the capacity
 * estimate. Reports are written from the result by {@code io.switchboard.bench.report.Reports}.
 *
 * <p>Threading: {@link #execute} blocks its caller until the run ends. It owns a private Vert.x
 * instance with {@link BenchPlan#eventLoops()} event loops, on which timers and scraping run, and
 * requests too when they go through Vert.x's client; plain http requests run on as many NIO
 * selector threads of the transport. The instance is closed before returning.
 */
public final class Bench {

    private final Ticker ticker;
    private final Progress progress;

    public Bench(Ticker ticker, Progress progress) {
        this.ticker = ticker;
        this.progress = progress;
    }

    /** Runs {@code plan} with the system's clock; blocks until it ends. */
    public static BenchResult run(BenchPlan plan, Progress progress) {
        return new Bench(Ticker.system(), progress).execute(plan);
    }

    /** Runs {@code plan}; blocks until it ends. */
    public BenchResult execute(BenchPlan plan) {
        Vertx vertx = Vertx.vertx(
                new VertxOptions().setEventLoopPoolSize(plan.eventLoops()).setPreferNativeTransport(true));
        try {
            return await(runOn(vertx, plan));
        } finally {
            await(vertx.close());
        }
    }

    private Future<BenchResult> runOn(Vertx vertx, BenchPlan plan) {
        String startedAt = Instant.now().toString();
        long runStart = ticker.nanoTime();
        PrometheusSampler sampler =
                plan.scrape() == null ? null : PrometheusSampler.start(vertx, plan.scrape(), ticker, runStart);
        StepRunner runner = new StepRunner(vertx, plan, ticker, runStart, progress);
        List<Step> steps = plan.load().steps();
        List<StepRunner.Outcome> outcomes = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < steps.size(); i++) {
            int index = i;
            chain = chain.compose(previous -> runner.run(steps.get(index), index, steps.size()))
                    .map(outcome -> {
                        outcomes.add(outcome);
                        return null;
                    });
        }
        Future<List<Series>> scraped =
                chain.compose(done -> sampler == null ? Future.succeededFuture(List.of()) : sampler.stop());
        String client = runner.client();
        return scraped.map(series -> result(plan, startedAt, runStart, client, outcomes, series));
    }

    private BenchResult result(
            BenchPlan plan,
            String startedAt,
            long runStart,
            String client,
            List<StepRunner.Outcome> outcomes,
            List<Series> scraped) {
        boolean open = plan.load() instanceof LoadModel.Open;
        List<StepResult> steps = outcomes.stream()
                .map(outcome -> stepResult(outcome, runStart, open))
                .toList();
        StepResult overall = overall(outcomes, steps, open);
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        outcomes.forEach(outcome ->
                histograms.put(outcome.step().name(), outcome.totals().latency()));
        Histogram merged = new Histogram(3);
        histograms.values().forEach(merged::add);
        histograms.put(overall.name(), merged);
        RequestSpec first = plan.requests().getFirst();
        return new BenchResult(
                startedAt,
                open ? "open" : "closed",
                first.method() + " " + first.uri()
                        + (plan.requests().size() > 1 ? " (+" + (plan.requests().size() - 1) + " more)" : ""),
                client,
                steps,
                overall,
                plan.sloP99() == null ? null : CapacityEstimate.of(steps, plan.sloP99()),
                scraped,
                outcomes.stream()
                        .map(StepRunner.Outcome::warmup)
                        .filter(java.util.Objects::nonNull)
                        .toList(),
                null,
                histograms);
    }

    private static StepResult stepResult(StepRunner.Outcome outcome, long runStart, boolean open) {
        StepRecorder.Totals totals = outcome.totals();
        double seconds = (outcome.endNanos() - outcome.startNanos()) / 1e9;
        return new StepResult(
                outcome.step().name(),
                outcome.step().concurrency(),
                outcome.step().rate(),
                round((outcome.startNanos() - runStart) / 1e9),
                round(seconds),
                totals.requests(),
                round(totals.answered() / seconds),
                Percentiles.of(totals.latency()),
                open ? Percentiles.of(totals.serviceTime()) : null,
                open ? Percentiles.of(totals.sendLag()) : null,
                totals.errors(),
                totals.timeline(),
                totals.bytes(),
                round(totals.bytes() / seconds));
    }

    private static StepResult overall(List<StepRunner.Outcome> outcomes, List<StepResult> steps, boolean open) {
        Histogram latency = new Histogram(3);
        Histogram service = new Histogram(3);
        Histogram sendLag = new Histogram(3);
        long statusErrors = 0, timeouts = 0, connection = 0, requests = 0, answered = 0, bytes = 0;
        double seconds = 0;
        Map<Integer, Long> byStatus = new TreeMap<>();
        for (StepRunner.Outcome outcome : outcomes) {
            StepRecorder.Totals totals = outcome.totals();
            latency.add(totals.latency());
            service.add(totals.serviceTime());
            sendLag.add(totals.sendLag());
            Errors errors = totals.errors();
            statusErrors += errors.status();
            timeouts += errors.timeout();
            connection += errors.connection();
            errors.byStatus().forEach((status, count) -> byStatus.merge(status, count, Long::sum));
            requests += totals.requests();
            answered += totals.answered();
            bytes += totals.bytes();
        }
        for (StepResult step : steps) {
            seconds += step.seconds();
        }
        return new StepResult(
                "overall",
                steps.stream().mapToInt(StepResult::concurrency).max().orElse(0),
                steps.stream().mapToDouble(StepResult::rate).max().orElse(0),
                steps.isEmpty() ? 0 : steps.getFirst().startSeconds(),
                round(seconds),
                requests,
                seconds > 0 ? round(answered / seconds) : 0,
                Percentiles.of(latency),
                open ? Percentiles.of(service) : null,
                open ? Percentiles.of(sendLag) : null,
                new Errors(statusErrors, timeouts, connection, byStatus),
                null,
                bytes,
                seconds > 0 ? round(bytes / seconds) : 0);
    }

    private static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }

    private static <T> T await(Future<T> future) {
        return future.toCompletionStage().toCompletableFuture().join();
    }
}
