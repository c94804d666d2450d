package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.BenchResult.Series;
import io.switchboard.bench.run.Bench;
import io.switchboard.bench.scrape.PrometheusText;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScrapeTest {

    @Test
    void gaugesWithSeveralLabelSetsAreSummedAndOthersIgnored() {
        String page = """
                # HELP queue_size tasks waiting
                # TYPE queue_size gauge
                queue_size{function="fib"} 3.0
                queue_size{function="ack",note="a } b"} 4
                queue_size_total 99
                workers_busy 2
                """;

        Map<String, Double> values = PrometheusText.values(page, Set.of("queue_size", "workers_busy", "absent"));

        assertThat(values).containsExactly(Map.entry("queue_size", 7.0), Map.entry("workers_busy", 2.0));
    }

    @Test
    void scrapedGaugesAreSampledDuringTheRunOnItsTimeAxis() {
        AtomicInteger scrapes = new AtomicInteger();
        try (TestServer server = TestServer.start(request -> {
            if (request.path().equals("/metrics")) {
                int n = scrapes.incrementAndGet();
                request.response().end("# TYPE in_flight gauge\nin_flight " + n + "\nother 1\n");
            } else {
                request.response().end("ok");
            }
        })) {
            ScrapeSpec scrape = new ScrapeSpec(server.uri("/metrics"), List.of("in_flight"), Duration.ofMillis(100));
            BenchPlan plan = BenchPlan.of(RequestSpec.get(server.uri("/")), new LoadModel.Closed(List.of(1)))
                    .withStepDuration(Duration.ofMillis(800))
                    .withScrape(scrape);

            BenchResult result = Bench.run(plan, Progress.NONE);

            assertThat(result.scraped()).extracting(Series::name).containsExactly("in_flight");
            List<double[]> points = result.scraped().getFirst().points();
            assertThat(points).hasSizeGreaterThanOrEqualTo(3);
            assertThat(points.getLast()[0]).isGreaterThan(points.getFirst()[0]).isLessThan(5);
            assertThat(points.getLast()[1]).isGreaterThan(points.getFirst()[1]);
        }
    }
}
