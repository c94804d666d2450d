package io.switchboard.relay.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The relay's meters: cache outcomes ({@code switchboard_relay_cache_total{result=hit|miss|stale}}),
 * requests that joined another's backend call ({@code switchboard_relay_coalesced_total}), backend
 * latency ({@code switchboard_relay_backend_seconds}) and backend failures by kind ({@code
 * switchboard_relay_backend_errors_total{kind}}).
 */
public final class RelayMetrics {

    private final MeterRegistry registry;
    private final Counter hits;
    private final Counter misses;
    private final Counter stale;
    private final Counter coalesced;
    private final Timer backendLatency;

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.hits = cache(registry, "hit");
        this.misses = cache(registry, "miss");
        this.stale = cache(registry, "stale");
        this.coalesced = Counter.builder("relay.coalesced")
                .description("Requests answered by another request's backend call (collapsed misses)")
                .register(registry);
        this.backendLatency = Timer.builder("relay.backend")
                .description("Time from sending a request to the backend until its response headers arrive")
                .publishPercentileHistogram()
                .register(registry);
    }

    private static Counter cache(MeterRegistry registry, String result) {
        return Counter.builder("relay.cache")
                .description("Relay cache lookups by outcome")
                .tag("result", result)
                .register(registry);
    }

    void hit() {
        hits.increment();
    }

    void miss() {
        misses.increment();
    }

    void stale() {
        stale.increment();
    }

    void coalesced() {
        coalesced.increment();
    }

    void backendLatency(Duration latency) {
        backendLatency.record(latency);
    }

    void backendError(String kind) {
        Counter.builder("relay.backend.errors")
                .description(
                        "Backend calls that failed, by kind (unavailable, timeout, busy, rate_limited, status_5xx)")
                .tag("kind", kind)
                .register(registry)
                .increment();
    }
}
