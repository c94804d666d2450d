package io.switchboard.fanout;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Prometheus metrics of one fan-out endpoint, as a {@link FanoutListener}: attempts per request,
 * hedges fired, wins by attempt index, backend latency by outcome, and request outcomes. Refusals
 * are counted by the platform's concurrency limit ({@code switchboard_requests_refused_total
 * {limit="fanout"}}).
 *
 * <p>Called on event loops; Micrometer meters are thread-safe and looked up once per tag value by
 * the registry's own cache.
 */
final class FanoutMetrics implements FanoutListener {

    private final MeterRegistry registry;
    private final String endpoint;
    private final DistributionSummary attempts;
    private final Counter hedges;
    private final Counter cancelled;

    FanoutMetrics(MeterRegistry registry, String endpoint) {
        this.registry = registry;
        this.endpoint = endpoint;
        this.attempts = DistributionSummary.builder("fanout.attempts")
                .description("Backend attempts fired per fan-out request")
                .tag("endpoint", endpoint)
                .register(registry);
        this.hedges = Counter.builder("fanout.hedges")
                .description("Hedges fired: extra attempts after the hedge delay or a failed first wave")
                .tag("endpoint", endpoint)
                .register(registry);
        this.cancelled = Counter.builder("fanout.attempts.cancelled")
                .description("Attempts cancelled because the fan-out already had its result")
                .tag("endpoint", endpoint)
                .register(registry);
    }

    @Override
    public void attemptSucceeded(Attempt attempt, Duration latency) {
        latency("success").record(latency);
    }

    @Override
    public void attemptFailed(AttemptFailure failure) {
        latency(failure.kind().label()).record(failure.latency());
    }

    @Override
    public void attemptCancelled(Attempt attempt) {
        cancelled.increment();
    }

    @Override
    public void hedgeFired(String requestId, int count) {
        hedges.increment();
    }

    @Override
    public void succeeded(FanoutResult<?> result) {
        attempts.record(result.fired());
        outcome("ok");
        for (FanoutResult.Answer<?> answer : result.answers()) {
            Counter.builder("fanout.wins")
                    .description("Successful answers used, by the 1-based index of the attempt that gave them")
                    .tag("endpoint", endpoint)
                    .tag("attempt", Integer.toString(answer.attempt()))
                    .register(registry)
                    .increment();
        }
    }

    @Override
    public void failed(FanoutException failure) {
        attempts.record(failure.fired());
        outcome(
                switch (failure.reason()) {
                    case DEADLINE -> "timeout";
                    case ALL_FAILED -> "all_failed";
                    case ABANDONED -> "abandoned";
                });
    }

    private Timer latency(String outcome) {
        return Timer.builder("fanout.backend.latency")
                .description("Latency of backend attempts, by outcome")
                .tag("endpoint", endpoint)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry);
    }

    private void outcome(String outcome) {
        Counter.builder("fanout.requests")
                .description("Fan-out requests by outcome: ok, timeout, all_failed, abandoned")
                .tag("endpoint", endpoint)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }
}
