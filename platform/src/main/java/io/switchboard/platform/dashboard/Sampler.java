package io.switchboard.platform.dashboard;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DistributionDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Turns the metric registry into one compact JSON snapshot per call: current values of gauges and
 * the rate of every counter since the previous call, grouped by service.
 *
 * <p>It reads the same Prometheus model that {@code /metrics} exposes, so the numbers on the page
 * are the ones an operator's PromQL sees ({@code rate(...)} over one interval, and
 * {@code histogram_quantile} over the interval's bucket increments for p50/p99). A service whose
 * meters are absent (not mounted) is absent from the snapshot. Switchboard's own families carry
 * the {@code switchboard_} prefix ({@code MetricNaming}); the code below names them without it.
 *
 * <p>Not thread-safe: one caller (the dashboard's timer) samples at a time.
 */
final class Sampler {

    /** The common prefix of Switchboard's metric names, left out when looking names up. */
    private static final String PREFIX = "switchboard_";

    /** Metric families the dashboard reads; everything else is left out of the scrape. */
    private static final List<String> FAMILIES = List.of(
            PREFIX + "http_server_requests",
            PREFIX + "compute_",
            PREFIX + "fanout_",
            PREFIX + "relay_",
            PREFIX + "eye_",
            PREFIX + "distribute_",
            "process_cpu_usage",
            "jvm_memory_used");

    /** Routes left out of the request charts: the dashboard's own stream lasts minutes by design. */
    private static final String OWN_ROUTES = "/dashboard";

    private final PrometheusRegistry registry;
    private final List<String> services;

    /** Cumulative values of the previous sample, by series key, to turn counters into rates. */
    private Map<String, double[]> previous = new HashMap<>();

    private Map<String, double[]> current = new HashMap<>();
    private long previousNanos = Long.MIN_VALUE;
    private double intervalSeconds;

    Sampler(PrometheusRegistry registry, List<String> services) {
        this.registry = registry;
        this.services = List.copyOf(services);
    }

    /**
     * Reads the registry now. {@code nanos} is a monotonic time (rates divide by its difference to
     * the previous call), {@code epochMillis} the wall-clock time written into the snapshot.
     */
    JsonObject sample(long nanos, long epochMillis) {
        intervalSeconds = previousNanos == Long.MIN_VALUE ? Double.NaN : (nanos - previousNanos) / 1e9;
        previousNanos = nanos;
        Metrics metrics = new Metrics(registry.scrape(Sampler::wanted));

        JsonObject snapshot = new JsonObject().put("t", epochMillis).put("services", new JsonArray(services));
        putIfPresent(snapshot, "process", process(metrics));
        putIfPresent(snapshot, "http", http(metrics));
        putIfPresent(snapshot, "compute", compute(metrics));
        putIfPresent(snapshot, "fanout", fanout(metrics));
        putIfPresent(snapshot, "relay", relay(metrics));
        putIfPresent(snapshot, "eye", eye(metrics));
        putIfPresent(snapshot, "distribute", distribute(metrics));

        previous = current;
        current = new HashMap<>();
        return snapshot;
    }

    private static boolean wanted(String name) {
        for (String family : FAMILIES) {
            if (name.startsWith(family)) {
                return true;
            }
        }
        return false;
    }

    private static void putIfPresent(JsonObject snapshot, String key, @Nullable JsonObject section) {
        if (section != null) {
            snapshot.put(key, section);
        }
    }

    private @Nullable JsonObject process(Metrics metrics) {
        MetricSnapshot cpu = metrics.get("process_cpu_usage");
        MetricSnapshot memory = metrics.get("jvm_memory_used_bytes");
        if (cpu == null && memory == null) {
            return null;
        }
        double heap = 0;
        if (memory != null) {
            for (DataPointSnapshot point : memory.getDataPoints()) {
                if ("heap".equals(point.getLabels().get("area"))) {
                    heap += value(point);
                }
            }
        }
        return new JsonObject()
                .put("cpu", round(cpu == null ? Double.NaN : gauge(cpu), 3))
                .put("heap_mb", round(heap / (1 << 20), 1));
    }

    private @Nullable JsonObject http(Metrics metrics) {
        MetricSnapshot requests = metrics.get("http_server_requests_seconds");
        if (!(requests instanceof HistogramSnapshot histogram)) {
            return null;
        }
        Map<String, RouteWindow> routes = new TreeMap<>();
        for (HistogramSnapshot.HistogramDataPointSnapshot point : histogram.getDataPoints()) {
            String route = point.getLabels().get("route");
            if (route == null || route.startsWith(OWN_ROUTES)) {
                continue;
            }
            RouteWindow window = routes.computeIfAbsent(route, r -> new RouteWindow());
            Distribution delta = distributionDelta("http|" + point.getLabels(), point);
            if (delta == null) {
                continue;
            }
            window.add(delta);
            String status = point.getLabels().get("status");
            if (status != null && status.startsWith("5")) {
                window.errors += delta.count;
            }
        }
        JsonObject byRoute = new JsonObject();
        double total = 0;
        double errors = 0;
        for (Map.Entry<String, RouteWindow> entry : routes.entrySet()) {
            RouteWindow window = entry.getValue();
            double rate = perSecond(window.count);
            total += Double.isNaN(rate) ? 0 : rate;
            errors += Double.isNaN(rate) ? 0 : perSecond(window.errors);
            byRoute.put(
                    entry.getKey(),
                    new JsonObject()
                            .put("rps", round(rate, 2))
                            .put("err", round(perSecond(window.errors), 2))
                            .put("p50", round(window.quantile(0.5) * 1000, 3))
                            .put("p99", round(window.quantile(0.99) * 1000, 3)));
        }
        return new JsonObject()
                .put("rps", round(Double.isNaN(intervalSeconds) ? Double.NaN : total, 2))
                .put("err", round(Double.isNaN(intervalSeconds) ? Double.NaN : errors, 2))
                .put("routes", byRoute);
    }

    private @Nullable JsonObject compute(Metrics metrics) {
        MetricSnapshot queued = metrics.get("compute_queue_size");
        if (queued == null) {
            return null;
        }
        return new JsonObject()
                .put("queued", round(gauge(queued), 0))
                .put("in_flight", round(gauge(metrics.get("compute_in_flight")), 0))
                .put("rps", round(counterRate("compute_requests", metrics), 2))
                .put("by_source", counterRatesBy("compute_requests", "source", metrics));
    }

    private @Nullable JsonObject fanout(Metrics metrics) {
        MetricSnapshot hedges = metrics.get("fanout_hedges");
        if (hedges == null) {
            return null;
        }
        double requests = 0;
        double attempts = 0;
        MetricSnapshot perRequest = metrics.get("fanout_attempts");
        if (perRequest != null) {
            for (DataPointSnapshot point : perRequest.getDataPoints()) {
                Distribution delta = distributionDelta("fanout_attempts|" + point.getLabels(), point);
                if (delta == null) {
                    requests = attempts = Double.NaN;
                    break;
                }
                requests += delta.count;
                attempts += delta.sum;
            }
        }
        return new JsonObject()
                .put("rps", round(perSecond(requests), 2))
                .put("attempts", round(perSecond(attempts), 2))
                .put("hedges", round(counterRate("fanout_hedges", metrics), 2))
                .put("cancelled", round(counterRate("fanout_attempts_cancelled", metrics), 2))
                .put("wins", counterRatesBy("fanout_wins", "attempt", metrics));
    }

    private @Nullable JsonObject relay(Metrics metrics) {
        if (metrics.get("relay_cache") == null) {
            return null;
        }
        JsonObject cache = counterRatesBy("relay_cache", "result", metrics);
        return new JsonObject()
                .put("hit", cache.getValue("hit"))
                .put("miss", cache.getValue("miss"))
                .put("stale", cache.getValue("stale"))
                .put("coalesced", round(counterRate("relay_coalesced", metrics), 2))
                .put("backend_errors", round(counterRate("relay_backend_errors", metrics), 2));
    }

    private @Nullable JsonObject eye(Metrics metrics) {
        MetricSnapshot backlog = metrics.get("eye_processing_backlog");
        if (backlog == null) {
            return null;
        }
        double invalid = counterRate("eye_events_invalid", metrics);
        double unprocessable = counterRate("eye_events_unprocessable", metrics);
        JsonObject errors = new JsonObject()
                .put("invalid", round(Double.isNaN(unprocessable) ? invalid : invalid - unprocessable, 2))
                .put("rejected", round(counterRate("eye_events_rejected", metrics), 2));
        if (metrics.get("eye_events_unprocessable") != null) {
            errors.put("unprocessable", round(unprocessable, 2));
        }
        JsonObject eye = new JsonObject()
                .put("ingest", round(counterRate("eye_events_ingested", metrics), 2))
                .put("stored", round(counterRate("eye_events_acknowledged", metrics), 2))
                .put("backlog", round(gauge(backlog), 0))
                .put("errors", errors);
        MetricSnapshot age = metrics.get("eye_processing_backlog_age_seconds");
        if (age != null) {
            eye.put("lag_s", round(gauge(age), 2));
        }
        return eye;
    }

    private @Nullable JsonObject distribute(Metrics metrics) {
        MetricSnapshot queued = metrics.get("distribute_queue_tasks");
        if (queued == null) {
            return null;
        }
        JsonObject outcomes = counterRatesBy("distribute_tasks", "outcome", metrics);
        double failed = 0;
        for (String outcome : outcomes.fieldNames()) {
            Object rate = outcomes.getValue(outcome);
            if (!"succeeded".equals(outcome) && rate instanceof Number number) {
                failed += number.doubleValue();
            }
        }
        JsonObject workers = new JsonObject();
        MetricSnapshot up = metrics.get("distribute_worker_up");
        if (up != null) {
            Map<String, JsonObject> sorted = new TreeMap<>(Sampler::naturalOrder);
            for (DataPointSnapshot point : up.getDataPoints()) {
                String worker = point.getLabels().get("worker");
                sorted.put(worker, worker(worker, value(point) > 0, metrics));
            }
            sorted.forEach(workers::put);
        }
        // On a JetStream queue tasks wait in the shared stream, not in this process.
        MetricSnapshot shared = metrics.get("distribute_shared_queue_tasks");
        MetricSnapshot sharedPeak = metrics.get("distribute_shared_queue_peak_tasks");
        double peak = gauge(metrics.get("distribute_queue_peak_tasks"));
        return new JsonObject()
                .put("queued", round(gauge(queued) + (shared == null ? 0 : gauge(shared)), 0))
                .put("peak", round(sharedPeak == null ? peak : Math.max(peak, gauge(sharedPeak)), 0))
                .put("done", round(counterRate("distribute_tasks", metrics), 2))
                .put("failed", round(Double.isNaN(intervalSeconds) ? Double.NaN : failed, 2))
                .put("retries", round(counterRate("distribute_task_retries", metrics), 2))
                .put("workers", workers);
    }

    private JsonObject worker(String worker, boolean up, Metrics metrics) {
        boolean busy = labelled(metrics.get("distribute_worker_busy"), "worker", worker) > 0;
        double busySeconds = labelled(metrics.get("distribute_worker_busy_seconds"), "worker", worker);
        double share = perSecond(delta("worker_busy|" + worker, busySeconds));
        return new JsonObject()
                .put("state", !up ? "down" : busy ? "busy" : "idle")
                .put("tasks", round(labelled(metrics.get("distribute_worker_tasks"), "worker", worker), 0))
                .put("share", round(Double.isNaN(share) ? Double.NaN : Math.max(0, Math.min(1, share)), 3))
                .put("restarts", round(labelled(metrics.get("distribute_worker_restarts"), "worker", worker), 0));
    }

    /** Worker ids such as {@code local-2} and {@code local-10} in the order a person expects. */
    private static int naturalOrder(String a, String b) {
        String digitsA = a.replaceAll("^.*?(\\d+)$", "$1");
        String digitsB = b.replaceAll("^.*?(\\d+)$", "$1");
        if (!digitsA.equals(a) && !digitsB.equals(b)) {
            String stemA = a.substring(0, a.length() - digitsA.length());
            String stemB = b.substring(0, b.length() - digitsB.length());
            if (stemA.equals(stemB) && digitsA.length() < 10 && digitsB.length() < 10) {
                return Integer.compare(Integer.parseInt(digitsA), Integer.parseInt(digitsB));
            }
        }
        return a.compareTo(b);
    }

    /** Per-second rate of a counter family, summed over all its series. */
    private double counterRate(String name, Metrics metrics) {
        MetricSnapshot counter = metrics.get(name);
        if (counter == null) {
            return Double.NaN;
        }
        double sum = 0;
        for (DataPointSnapshot point : counter.getDataPoints()) {
            sum += delta(name + "|" + point.getLabels(), value(point));
        }
        return perSecond(sum);
    }

    /** Per-second rates of a counter family by the values of one label, e.g. cache results. */
    private JsonObject counterRatesBy(String name, String label, Metrics metrics) {
        MetricSnapshot counter = metrics.get(name);
        Map<String, Double> sums = new TreeMap<>(Sampler::naturalOrder);
        if (counter != null) {
            for (DataPointSnapshot point : counter.getDataPoints()) {
                String key = point.getLabels().get(label);
                double d = delta(name + "|" + point.getLabels(), value(point));
                sums.merge(key == null ? "" : key, d, Double::sum);
            }
        }
        JsonObject rates = new JsonObject();
        sums.forEach((key, d) -> rates.put(key, round(perSecond(d), 2)));
        return rates;
    }

    private double delta(String key, double cumulative) {
        current.put(key, new double[] {cumulative});
        double[] before = previous.get(key);
        if (before == null) {
            // A series born since the last sample started from zero (counters are created at 0).
            return Double.isNaN(intervalSeconds) ? Double.NaN : cumulative;
        }
        return Math.max(0, cumulative - before[0]);
    }

    /** The increments of a histogram or summary point since the previous sample, or null on the first. */
    private @Nullable Distribution distributionDelta(String key, DataPointSnapshot point) {
        DistributionDataPointSnapshot distribution = (DistributionDataPointSnapshot) point;
        ClassicHistogramBuckets buckets = point instanceof HistogramSnapshot.HistogramDataPointSnapshot histogram
                ? histogram.getClassicBuckets()
                : ClassicHistogramBuckets.EMPTY;
        double[] values = new double[2 + buckets.size()];
        values[0] = distribution.hasCount() ? distribution.getCount() : 0;
        values[1] = distribution.hasSum() ? distribution.getSum() : 0;
        for (int i = 0; i < buckets.size(); i++) {
            values[2 + i] = buckets.getCount(i);
        }
        current.put(key, values);
        if (Double.isNaN(intervalSeconds)) {
            return null;
        }
        double[] before = previous.getOrDefault(key, new double[values.length]);
        if (before.length != values.length || before[0] > values[0]) {
            before = new double[values.length];
        }
        Distribution delta = new Distribution(values[0] - before[0], values[1] - before[1], new TreeMap<>());
        for (int i = 0; i < buckets.size(); i++) {
            delta.buckets.put(buckets.getUpperBound(i), values[2 + i] - before[2 + i]);
        }
        return delta;
    }

    private double perSecond(double increment) {
        if (Double.isNaN(intervalSeconds) || intervalSeconds <= 0) {
            return Double.NaN;
        }
        return increment / intervalSeconds;
    }

    private static double gauge(@Nullable MetricSnapshot snapshot) {
        if (snapshot == null) {
            return Double.NaN;
        }
        double sum = 0;
        for (DataPointSnapshot point : snapshot.getDataPoints()) {
            sum += value(point);
        }
        return sum;
    }

    private static double labelled(@Nullable MetricSnapshot snapshot, String label, String value) {
        if (snapshot == null) {
            return Double.NaN;
        }
        for (DataPointSnapshot point : snapshot.getDataPoints()) {
            if (value.equals(point.getLabels().get(label))) {
                return value(point);
            }
        }
        return Double.NaN;
    }

    private static double value(DataPointSnapshot point) {
        return switch (point) {
            case CounterSnapshot.CounterDataPointSnapshot counter -> counter.getValue();
            case GaugeSnapshot.GaugeDataPointSnapshot gauge -> gauge.getValue();
            default -> Double.NaN;
        };
    }

    /** A JSON number rounded to {@code decimals}, or null for "no value" (JSON has no NaN). */
    static @Nullable Double round(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /** Increments of one histogram or summary series over the interval; buckets are per bucket, not cumulative. */
    private record Distribution(double count, double sum, TreeMap<Double, Double> buckets) {}

    /** The merged increments of every series of one route (all methods and statuses). */
    private static final class RouteWindow {
        double count;
        double errors;
        final TreeMap<Double, Double> buckets = new TreeMap<>();

        void add(Distribution delta) {
            count += delta.count;
            delta.buckets.forEach((bound, n) -> buckets.merge(bound, n, Double::sum));
        }

        /**
         * The q-quantile as Prometheus's {@code histogram_quantile} estimates it: linear
         * interpolation inside the bucket holding the rank; NaN when the interval saw no request.
         */
        double quantile(double q) {
            double total = 0;
            for (double n : buckets.values()) {
                total += n;
            }
            if (total <= 0) {
                return Double.NaN;
            }
            double rank = q * total;
            double lower = 0;
            double seen = 0;
            for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
                double upper = bucket.getKey();
                double n = bucket.getValue();
                if (seen + n >= rank && n > 0) {
                    if (Double.isInfinite(upper)) {
                        return lower;
                    }
                    return lower + (upper - lower) * (rank - seen) / n;
                }
                seen += n;
                lower = upper;
            }
            return lower;
        }
    }

    /** One scrape, indexed by metric name without the {@code switchboard_} prefix and {@code _total}. */
    private static final class Metrics {
        private final Map<String, MetricSnapshot> byName = new HashMap<>();

        Metrics(MetricSnapshots snapshots) {
            for (MetricSnapshot snapshot : snapshots) {
                String name = snapshot.getMetadata().getPrometheusName();
                if (name.startsWith(PREFIX)) {
                    name = name.substring(PREFIX.length());
                }
                if (name.endsWith("_total")) {
                    name = name.substring(0, name.length() - "_total".length());
                }
                byName.put(name, snapshot);
            }
        }

        @Nullable
        MetricSnapshot get(String name) {
            return byName.get(name);
        }
    }
}
