package io.switchboard.platform.dashboard;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * {@code /dashboard}: one page showing the live state of every running service, fed by a
 * server-sent event stream of compact JSON snapshots, one per second.
 *
 * <p>Flow: a timer samples the metric registry every {@link SnapshotStream#INTERVAL} ({@link
 * Sampler}: gauges as they are, counters as rates, p50/p99 from histogram increments), keeps the
 * last {@link SnapshotStream#HISTORY} snapshots and pushes each new one to every open stream. A
 * page that opens (or reconnects with {@code Last-Event-ID}) first gets the history it lacks, so
 * its charts show the last minutes at once. The page, its script and uPlot (the charting library,
 * MIT, bundled) are served from the classpath: the dashboard works with no internet.
 *
 * <p>Threads: sampling and pushing run on one event loop, once a second; a sample reads a few
 * hundred series and takes well under a millisecond. Streams are not counted by the global
 * concurrency limit (like {@code /metrics}, so operators can look in during overload), and are
 * bounded by their own limit instead.
 *
 * <p>Access: the same as {@code /metrics}, which the platform serves without a token.
 */
public final class Dashboard {

    private Dashboard() {}

    /** Adds the dashboard's routes to {@code router} and starts sampling {@code metrics}. */
    public static void mount(Router router, Vertx vertx, PrometheusMeterRegistry metrics, List<String> services) {
        Sampler sampler = new Sampler(metrics.getPrometheusRegistry(), services);
        SnapshotStream stream = new SnapshotStream(sampler, System::nanoTime, System::currentTimeMillis);
        new DashboardRoutes(stream, DashboardAssets.load()).mount(router);
        stream.start(vertx);
    }
}
