package io.switchboard.compute;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.compute.execution.ComputeExecutor;
import io.switchboard.compute.execution.ComputedResult;
import io.switchboard.compute.execution.Ticket;
import io.switchboard.compute.math.BigNumberEngine;
import java.time.Duration;
import java.util.Locale;

/**
 * Every compute meter, registered once at mount: the label space is small (three functions, three
 * sources), so the request path only indexes arrays instead of looking meters up by tags.
 */
// Meters sit in arrays indexed by the enums' ordinals: a lookup per request with no map or boxing,
// and the arrays are built from the same enums, so an added constant cannot fall outside them.
@SuppressWarnings("EnumOrdinal")
final class ComputeMetrics {

    private final Counter[][] requests = new Counter[Function.values().length][Ticket.Source.values().length];
    private final Timer[] durations = new Timer[Function.values().length];
    private final DistributionSummary[] digits = new DistributionSummary[Function.values().length];

    ComputeMetrics(MeterRegistry registry, ComputeExecutor<?> executor, BigNumberEngine engine) {
        Gauge.builder("compute.engine.info", () -> 1)
                .description("The big-number engine in use (gmp or apfloat), as labels; always 1")
                .tag("engine", engine.name())
                .tag("version", engine.version())
                .register(registry);
        Gauge.builder("compute.native.memory", engine, BigNumberEngine::nativeBytes)
                .description("Native memory held by running computations (GMP's limbs, temporaries, output)")
                .baseUnit("bytes")
                .register(registry);
        for (Function function : Function.values()) {
            for (Ticket.Source source : Ticket.Source.values()) {
                requests[function.ordinal()][source.ordinal()] = Counter.builder("compute.requests")
                        .description("Compute requests by function and by where the result came from "
                                + "(cache, shared, computed)")
                        .tag("function", function.label())
                        .tag("source", sourceLabel(source))
                        .register(registry);
            }
            durations[function.ordinal()] = Timer.builder("compute.duration")
                    .description("Time to compute a value and its decimal form, by function")
                    .tag("function", function.label())
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(1_000))
                    .maximumExpectedValue(Duration.ofSeconds(60))
                    .register(registry);
            digits[function.ordinal()] = DistributionSummary.builder("compute.result.digits")
                    .description("Decimal digits of computed results, by function")
                    .tag("function", function.label())
                    .register(registry);
        }
        Gauge.builder("compute.in.flight", executor, ComputeExecutor::inFlight)
                .description("Computations running or queued")
                .register(registry);
        FunctionCounter.builder("compute.cancelled", executor, ComputeExecutor::cancelledCount)
                .description("Computations stopped early because every client waiting for them left")
                .register(registry);
        Gauge.builder("compute.queue.size", executor, ComputeExecutor::queued)
                .description("Computations waiting for a compute thread")
                .register(registry);
        Gauge.builder("compute.cache.size", executor, ComputeExecutor::cachedBytes)
                .description("Bytes of cached results")
                .baseUnit("bytes")
                .register(registry);
    }

    static String sourceLabel(Ticket.Source source) {
        return source.name().toLowerCase(Locale.ROOT);
    }

    void countRequest(ComputeRequest request, Ticket.Source source) {
        requests[request.function().ordinal()][source.ordinal()].increment();
    }

    void recordComputation(ComputeRequest request, ComputedResult result) {
        durations[request.function().ordinal()].record(result.computeTime());
        digits[request.function().ordinal()].record(result.digits());
    }
}
