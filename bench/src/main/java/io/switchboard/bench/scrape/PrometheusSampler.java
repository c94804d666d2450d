package io.switchboard.bench.scrape;

import io.switchboard.bench.BenchResult.Series;
import io.switchboard.bench.ScrapeSpec;
import io.switchboard.bench.Ticker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Samples named gauges from a Prometheus {@code /metrics} endpoint during a run, on the run's time
 * axis (seconds since it started), so the report can draw server-side series (queue size, busy
 * workers) under the client-side ones.
 *
 * <p>Threading: everything runs on one event-loop context: the timer, the scrape and its answer,
 * and {@link #stop()}. A scrape still in flight when the timer fires again makes it skip that
 * tick rather than pile up requests. A failed scrape is counted and skipped, never fatal: the
 * server's metrics are a bonus, the load test is the point.
 */
public final class PrometheusSampler {

    /** Largest metrics page used; a larger one is ignored rather than parsed. */
    static final int MAX_PAGE_BYTES = 8 << 20;

    private final Vertx vertx;
    private final Context context;
    private final ScrapeSpec spec;
    private final Ticker ticker;
    private final long runStartNanos;
    private final HttpClient client;
    private final Set<String> names;
    private final Map<String, List<double[]>> points = new LinkedHashMap<>();
    private long timer;
    private boolean inFlight;
    private int failures;

    private PrometheusSampler(Vertx vertx, ScrapeSpec spec, Ticker ticker, long runStartNanos) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.spec = spec;
        this.ticker = ticker;
        this.runStartNanos = runStartNanos;
        this.client = vertx.createHttpClient();
        this.names = new HashSet<>(spec.names());
        spec.names().forEach(name -> points.put(name, new ArrayList<>()));
    }

    /** Starts sampling now and every {@link ScrapeSpec#interval()}. */
    public static PrometheusSampler start(Vertx vertx, ScrapeSpec spec, Ticker ticker, long runStartNanos) {
        PrometheusSampler sampler = new PrometheusSampler(vertx, spec, ticker, runStartNanos);
        sampler.context.runOnContext(start -> {
            sampler.timer = vertx.setPeriodic(0, spec.interval().toMillis(), id -> sampler.scrape());
        });
        return sampler;
    }

    /** Stops sampling and returns the series, one per name, in the order asked. */
    public Future<List<Series>> stop() {
        Promise<List<Series>> stopped = Promise.promise();
        context.runOnContext(stop -> {
            vertx.cancelTimer(timer);
            List<Series> series = new ArrayList<>();
            points.forEach((name, samples) -> series.add(new Series(name, List.copyOf(samples))));
            client.close().onComplete(closed -> stopped.complete(series));
        });
        return stopped.future();
    }

    /** Scrapes that failed (unreachable, not 200, too large). */
    public int failures() {
        return failures;
    }

    private void scrape() {
        if (inFlight) {
            return;
        }
        inFlight = true;
        double t = (ticker.nanoTime() - runStartNanos) / 1e9;
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(spec.url().toString())
                .setTimeout(spec.interval().toMillis() * 4);
        client.request(options)
                .compose(request -> request.send())
                .compose(this::readPage)
                .onComplete(page -> {
                    inFlight = false;
                    if (page.succeeded()) {
                        record(t, page.result());
                    } else {
                        failures++;
                    }
                });
    }

    private Future<String> readPage(HttpClientResponse response) {
        if (response.statusCode() != 200) {
            return Future.failedFuture("metrics answered " + response.statusCode());
        }
        return response.body().map(body -> body.length() > MAX_PAGE_BYTES ? "" : body.toString());
    }

    private void record(double t, String page) {
        PrometheusText.values(page, names)
                .forEach((name, value) -> Objects.requireNonNull(
                                points.get(name), "values() returns only the names asked for")
                        .add(new double[] {Math.round(t * 1000) / 1000.0, value}));
    }
}
