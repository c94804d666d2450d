package io.switchboard.platform.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.platform.observability.MetricNaming;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SamplerTest {

    private static final long SECOND = 1_000_000_000L;

    private final PrometheusMeterRegistry registry = prefixed();
    private final Sampler sampler = new Sampler(registry.getPrometheusRegistry(), List.of("compute", "relay"));

    /** A registry that names meters as serve's does: Switchboard's under {@code switchboard_}. */
    private static PrometheusMeterRegistry prefixed() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new MetricNaming());
        return registry;
    }

    private Timer route(String route, int status) {
        return Timer.builder("http.server.requests")
                .tag("method", "GET")
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    @Test
    void requestRatesAndQuantilesCoverOnlyTheLastInterval() {
        Timer ok = route("/fibonacci/:n", 200);
        Timer failed = route("/fibonacci/:n", 500);
        for (int i = 0; i < 1000; i++) {
            ok.record(Duration.ofSeconds(5)); // before the first sample: must not weigh on the next interval
        }
        sampler.sample(0, 1_000);
        for (int i = 0; i < 98; i++) {
            ok.record(Duration.ofMillis(10));
        }
        failed.record(Duration.ofSeconds(2));
        failed.record(Duration.ofSeconds(2));

        JsonObject http = sampler.sample(2 * SECOND, 3_000).getJsonObject("http");

        JsonObject fibonacci = http.getJsonObject("routes").getJsonObject("/fibonacci/:n");
        assertThat(fibonacci.getDouble("rps")).isEqualTo(50.0); // 100 requests over 2 s
        assertThat(fibonacci.getDouble("err")).isEqualTo(1.0);
        assertThat(fibonacci.getDouble("p50")).isBetween(8.0, 12.0); // milliseconds
        assertThat(fibonacci.getDouble("p99")).isBetween(1000.0, 2900.0); // the 99th of 100 is a slow one
        assertThat(http.getDouble("rps")).isEqualTo(50.0);
    }

    @Test
    void aRouteWithNoRequestInTheIntervalHasARateOfZeroAndNoQuantiles() {
        route("/health/live", 200).record(Duration.ofMillis(3));
        sampler.sample(0, 0);

        JsonObject live = sampler.sample(SECOND, 1000)
                .getJsonObject("http")
                .getJsonObject("routes")
                .getJsonObject("/health/live");

        assertThat(live.getDouble("rps")).isZero();
        assertThat(live.getValue("p99")).isNull();
    }

    @Test
    void theFirstSampleHasValuesButNoRates() {
        Counter.builder("relay.cache").tag("result", "hit").register(registry).increment(7);

        JsonObject relay = sampler.sample(0, 0).getJsonObject("relay");

        assertThat(relay.containsKey("hit")).isTrue();
        assertThat(relay.getValue("hit")).isNull();
        assertThat(relay.encode()).doesNotContain("NaN");
    }

    @Test
    void counterIncrementsBecomeRatesPerSecondByLabel() {
        Counter hits = Counter.builder("relay.cache").tag("result", "hit").register(registry);
        Counter misses = Counter.builder("relay.cache").tag("result", "miss").register(registry);
        Counter.builder("relay.cache").tag("result", "stale").register(registry);
        sampler.sample(0, 0);
        hits.increment(30);
        misses.increment(3);

        JsonObject relay = sampler.sample(3 * SECOND, 3000).getJsonObject("relay");

        assertThat(relay.getDouble("hit")).isEqualTo(10.0);
        assertThat(relay.getDouble("miss")).isEqualTo(1.0);
        assertThat(relay.getDouble("stale")).isZero();
    }

    @Test
    void aServiceWithoutMetersIsAbsent() {
        JsonObject snapshot = sampler.sample(0, 0);

        assertThat(snapshot.fieldNames()).doesNotContain("compute", "fanout", "relay", "eye", "distribute");
        assertThat(snapshot.getJsonArray("services").stream().toList()).containsExactly("compute", "relay");
    }

    @Test
    void onlyMetersUnderTheSwitchboardPrefixAreRead() {
        AtomicInteger queued = new AtomicInteger(4);
        Gauge.builder("compute.queue.size", queued, AtomicInteger::get).register(registry);
        Gauge.builder("compute.in.flight", queued, q -> q.get() + 2).register(registry);
        PrometheusMeterRegistry unprefixed = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Gauge.builder("compute.queue.size", queued, AtomicInteger::get).register(unprefixed);

        JsonObject compute = sampler.sample(0, 0).getJsonObject("compute");
        JsonObject foreign = new Sampler(unprefixed.getPrometheusRegistry(), List.of("compute")).sample(0, 0);

        assertThat(registry.scrape()).contains("switchboard_compute_queue_size ");
        assertThat(compute.getDouble("queued")).isEqualTo(4.0);
        assertThat(compute.getDouble("in_flight")).isEqualTo(6.0);
        assertThat(foreign.fieldNames()).doesNotContain("compute");
    }

    @Test
    void distributeWorkersShowStateTasksAndTheirBusyShareOfTheInterval() {
        AtomicInteger queue = new AtomicInteger(3);
        Gauge.builder("distribute.queue.tasks", queue::get).register(registry);
        Gauge.builder("distribute.queue.peak.tasks", () -> 9).register(registry);
        AtomicLong busyMillis = new AtomicLong();
        AtomicLong tasks = new AtomicLong();
        for (String worker : List.of("local-10", "local-2")) {
            boolean first = worker.equals("local-2");
            Gauge.builder("distribute.worker.up", () -> first ? 1 : 0)
                    .tag("worker", worker)
                    .register(registry);
            Gauge.builder("distribute.worker.busy", () -> first ? 1 : 0)
                    .tag("worker", worker)
                    .register(registry);
            FunctionCounter.builder("distribute.worker.tasks", tasks, t -> first ? t.get() : 0)
                    .tag("worker", worker)
                    .register(registry);
            FunctionCounter.builder("distribute.worker.busy.seconds", busyMillis, b -> first ? b.get() / 1000.0 : 0)
                    .tag("worker", worker)
                    .register(registry);
        }
        Counter done =
                Counter.builder("distribute.tasks").tag("outcome", "succeeded").register(registry);
        Counter crashed =
                Counter.builder("distribute.tasks").tag("outcome", "crash").register(registry);
        sampler.sample(0, 0);
        busyMillis.addAndGet(1500);
        tasks.addAndGet(12);
        done.increment(12);
        crashed.increment(2);

        JsonObject distribute = sampler.sample(2 * SECOND, 2000).getJsonObject("distribute");

        assertThat(distribute.getDouble("queued")).isEqualTo(3.0);
        assertThat(distribute.getDouble("peak")).isEqualTo(9.0);
        assertThat(distribute.getDouble("done")).isEqualTo(7.0);
        assertThat(distribute.getDouble("failed")).isEqualTo(1.0);
        JsonObject workers = distribute.getJsonObject("workers");
        assertThat(workers.fieldNames()).containsExactly("local-2", "local-10");
        JsonObject busy = workers.getJsonObject("local-2");
        assertThat(busy.getString("state")).isEqualTo("busy");
        assertThat(busy.getDouble("tasks")).isEqualTo(12.0);
        assertThat(busy.getDouble("share")).isCloseTo(0.75, within(0.001));
        assertThat(workers.getJsonObject("local-10").getString("state")).isEqualTo("down");
    }

    @Test
    void theDashboardsOwnStreamIsLeftOutOfTheRequestCharts() {
        route("/dashboard/stream", 200).record(Duration.ofMinutes(3));

        JsonObject http = sampler.sample(0, 0).getJsonObject("http");

        assertThat(http.getJsonObject("routes").fieldNames()).isEmpty();
    }

    @Test
    void eyeShowsItsBacklogAsLagInSecondsAndErrorsByReason() {
        AtomicLong backlog = new AtomicLong(40);
        Gauge.builder("eye.processing.backlog", backlog, AtomicLong::get).register(registry);
        Gauge.builder("eye.processing.backlog.age", () -> 12.5)
                .baseUnit("seconds")
                .register(registry);
        Counter ingested = Counter.builder("eye.events.ingested").register(registry);
        Counter invalid = Counter.builder("eye.events.invalid").register(registry);
        Counter unprocessable = Counter.builder("eye.events.unprocessable").register(registry);
        Counter.builder("eye.events.rejected").register(registry);
        sampler.sample(0, 0);
        ingested.increment(100);
        invalid.increment(5); // unprocessable events are counted among the invalid ones too
        unprocessable.increment(2);

        JsonObject eye = sampler.sample(SECOND, 1000).getJsonObject("eye");

        assertThat(eye.getDouble("ingest")).isEqualTo(100.0);
        assertThat(eye.getDouble("backlog")).isEqualTo(40.0);
        assertThat(eye.getDouble("lag_s")).isEqualTo(12.5);
        assertThat(eye.getJsonObject("errors").getMap())
                .containsEntry("invalid", 3.0)
                .containsEntry("unprocessable", 2.0)
                .containsEntry("rejected", 0.0);
    }
}
