package io.switchboard.bench.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the Prometheus text the bench scrapes from the server under test: any
 * text yields finite values for asked names only, and never an exception (a broken scrape must not
 * end a benchmark). The corpus beside this class is replayed by the normal build; {@code
 * benchmarks/fuzz.sh} fuzzes longer.
 */
class PrometheusTextFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyScrapeYieldsFiniteValuesOfAskedNamesOnly(FuzzedDataProvider data) {
        Set<String> names = Set.copyOf(List.of(data.consumeString(20), "http_server_requests_seconds_count", "up"));
        Map<String, Double> values = PrometheusText.values(data.consumeRemainingAsString(), names);
        assertThat(names).containsAll(values.keySet());
        values.values().forEach(value -> assertThat(value).isFinite());
    }
}
