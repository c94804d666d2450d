package io.switchboard.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {

    private final PrometheusMeterRegistry registry = MetricsRegistry.create();

    @Test
    void everySwitchboardMeterGetsTheOnePrefixAndTheRuntimeKeepsItsCustomaryNames() {
        Counter.builder("compute.requests").register(registry).increment();
        Timer.builder("relay.backend").register(registry).record(Duration.ofMillis(3));
        Counter.builder("switchboard.log.events.dropped").register(registry);

        String scrape = registry.scrape();

        assertThat(scrape)
                .contains("switchboard_compute_requests_total{")
                .contains("switchboard_relay_backend_seconds_count{")
                .contains("switchboard_log_events_dropped_total{")
                .doesNotContain("switchboard_switchboard_")
                .contains("jvm_memory_used_bytes{")
                .contains("process_uptime_seconds{");
    }

    @Test
    void processCpuTimeIsInSecondsAndNoGaugeEndsLikeAHistogramCount() {
        String scrape = registry.scrape();

        assertThat(scrape)
                .contains("# TYPE process_cpu_seconds_total counter")
                .doesNotContain("process_cpu_time_ns")
                .doesNotContain("system_cpu_count")
                .contains("system_cpus{");
    }

    @Test
    void buildInfoIsOneWithTheVersionAndTheCommitTheBuildFilledIn() {
        String scrape = registry.scrape();

        String line = scrape.lines()
                .filter(l -> l.startsWith("switchboard_build_info{"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no switchboard_build_info in\n" + scrape));
        assertThat(line).endsWith("} 1").contains("version=\"0.").doesNotContain("${");
        // The tests run from a git checkout, so the build knew the commit.
        assertThat(line).containsPattern("commit=\"[0-9a-f]{40}\"");
    }

    @Test
    void aPlaceholderTheBuildLeftUnfilledReadsUnknown() {
        assertThat(BuildInfo.filled("${git.commit.id}")).isEqualTo("unknown");
        assertThat(BuildInfo.filled(null)).isEqualTo("unknown");
        assertThat(BuildInfo.filled("0.1.0-SNAPSHOT")).isEqualTo("0.1.0-SNAPSHOT");
    }
}
