package io.switchboard.bench;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything one {@code bench} run does. The run is bounded: every step ends after {@code
 * stepDuration} (and sooner after {@code requestsPerStep} requests, when set).
 *
 * @param requests the requests sent, round-robin
 * @param load closed-model steps or an open-model rate
 * @param stepDuration length of each measured step; also the bound when counting requests
 * @param requestsPerStep requests sent per step; 0 to run for {@code stepDuration}
 * @param warmup load run before each step (or only the first, see {@code warmupOnce}) and not
 *     measured; zero for none
 * @param timeout time without a byte of answer (or without a free connection) after which a
 *     request counts as a timeout
 * @param sloP99 the p99 latency objective for the capacity estimate; null for no estimate
 * @param scrape server-side gauges sampled during the run; null for none
 * @param eventLoops event-loop threads of the HTTP client
 * @param warmupOnce warm up before the first step only: the JIT warms once per process, so later
 *     steps of a sweep need no warm-up of their own
 */
public record BenchPlan(
        List<RequestSpec> requests,
        LoadModel load,
        Duration stepDuration,
        long requestsPerStep,
        Duration warmup,
        Duration timeout,
        @Nullable Duration sloP99,
        @Nullable ScrapeSpec scrape,
        int eventLoops,
        boolean warmupOnce) {

    /** The warm-up of {@code --warmup auto}, at most the step duration. */
    public static final Duration AUTO_WARMUP = Duration.ofSeconds(5);

    /** Warming up before every step. */
    public BenchPlan(
            List<RequestSpec> requests,
            LoadModel load,
            Duration stepDuration,
            long requestsPerStep,
            Duration warmup,
            Duration timeout,
            @Nullable Duration sloP99,
            @Nullable ScrapeSpec scrape,
            int eventLoops) {
        this(requests, load, stepDuration, requestsPerStep, warmup, timeout, sloP99, scrape, eventLoops, false);
    }

    /** Longest step accepted: the tool is for measuring, not for soaking someone's server. */
    public static final Duration MAX_STEP = Duration.ofHours(1);

    public BenchPlan {
        if (requests == null || requests.isEmpty()) {
            throw new IllegalArgumentException("a target URL or --requests FILE is required");
        }
        requests = List.copyOf(requests);
        if (load == null) {
            throw new IllegalArgumentException("a load model (--concurrency or --rate) is required");
        }
        if (stepDuration == null || stepDuration.toMillis() < 1 || stepDuration.compareTo(MAX_STEP) > 0) {
            throw new IllegalArgumentException("--duration must be between 1ms and 1h, was " + stepDuration);
        }
        if (requestsPerStep < 0) {
            throw new IllegalArgumentException("--requests-count must be positive, was " + requestsPerStep);
        }
        if (warmup == null || warmup.isNegative() || warmup.compareTo(MAX_STEP) > 0) {
            throw new IllegalArgumentException("--warmup must be between 0s and 1h, was " + warmup);
        }
        if (timeout == null || timeout.toMillis() < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1ms, was " + timeout);
        }
        if (sloP99 != null && sloP99.toNanos() <= 0) {
            throw new IllegalArgumentException("--slo-p99 must be positive, was " + sloP99);
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException("event loops must be at least 1, was " + eventLoops);
        }
    }

    /** A plan with the defaults: one GET, closed model at concurrency 1, 10 s, no warm-up. */
    public static BenchPlan of(RequestSpec request, LoadModel load) {
        return new BenchPlan(
                List.of(request),
                load,
                Duration.ofSeconds(10),
                0,
                Duration.ZERO,
                Duration.ofSeconds(10),
                null,
                null,
                Runtime.getRuntime().availableProcessors());
    }

    public BenchPlan withStepDuration(Duration duration) {
        return new BenchPlan(
                requests, load, duration, requestsPerStep, warmup, timeout, sloP99, scrape, eventLoops, warmupOnce);
    }

    public BenchPlan withRequestsPerStep(long count) {
        return new BenchPlan(
                requests, load, stepDuration, count, warmup, timeout, sloP99, scrape, eventLoops, warmupOnce);
    }

    /** Warms up for {@code duration} before every step. */
    public BenchPlan withWarmup(Duration duration) {
        return new BenchPlan(
                requests, load, stepDuration, requestsPerStep, duration, timeout, sloP99, scrape, eventLoops, false);
    }

    /**
     * The default of the command line ({@code --warmup auto}): {@link #AUTO_WARMUP}, at most one
     * step long, before the first step only.
     */
    public BenchPlan withAutoWarmup() {
        Duration length = AUTO_WARMUP.compareTo(stepDuration) < 0 ? AUTO_WARMUP : stepDuration;
        return new BenchPlan(
                requests, load, stepDuration, requestsPerStep, length, timeout, sloP99, scrape, eventLoops, true);
    }

    /** Whether step {@code index} (0-based) starts with a warm-up. */
    public boolean warmsUpBefore(int index) {
        return !warmup.isZero() && (index == 0 || !warmupOnce);
    }

    public BenchPlan withTimeout(Duration duration) {
        return new BenchPlan(
                requests,
                load,
                stepDuration,
                requestsPerStep,
                warmup,
                duration,
                sloP99,
                scrape,
                eventLoops,
                warmupOnce);
    }

    public BenchPlan withSloP99(Duration slo) {
        return new BenchPlan(
                requests, load, stepDuration, requestsPerStep, warmup, timeout, slo, scrape, eventLoops, warmupOnce);
    }

    public BenchPlan withScrape(ScrapeSpec spec) {
        return new BenchPlan(
                requests, load, stepDuration, requestsPerStep, warmup, timeout, sloP99, spec, eventLoops, warmupOnce);
    }

    public BenchPlan withEventLoops(int loops) {
        return new BenchPlan(
                requests, load, stepDuration, requestsPerStep, warmup, timeout, sloP99, scrape, loops, warmupOnce);
    }
}
