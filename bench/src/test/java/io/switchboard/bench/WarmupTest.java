package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.BenchResult.Warmup;
import io.switchboard.bench.report.TerminalSummary;
import io.switchboard.bench.run.Bench;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WarmupTest {

    @Test
    void warmupRequestsAreReportedApartAndNotInTheSteps() {
        AtomicLong seen = new AtomicLong();
        try (TestServer server = TestServer.start(request -> {
            seen.incrementAndGet();
            request.response().end("ok");
        })) {
            BenchPlan plan = BenchPlan.of(RequestSpec.get(server.uri("/")), new LoadModel.Closed(List.of(2)))
                    .withEventLoops(1)
                    .withRequestsPerStep(30)
                    .withWarmup(Duration.ofMillis(300));

            BenchResult result = Bench.run(plan, Progress.NONE);

            assertThat(result.steps().getFirst().requests()).isEqualTo(30);
            assertThat(result.warmups()).hasSize(1);
            Warmup warmup = result.warmups().getFirst();
            assertThat(warmup.before()).isEqualTo("c=2");
            assertThat(warmup.requests()).isPositive();
            assertThat(warmup.seconds()).isGreaterThanOrEqualTo(0.3);
            // One priming request per event loop, the warm-up, the measured step: nothing else.
            assertThat(seen.get()).isEqualTo(1 + warmup.requests() + 30);
            assertThat(TerminalSummary.format(result)).contains("warm-up before c=2 (not in the results)");
        }
    }

    @Test
    void autoWarmupRunsBeforeTheFirstStepOnlyAndIsAtMostOneStepLong() {
        try (TestServer server = TestServer.ok()) {
            BenchPlan plan = BenchPlan.of(RequestSpec.get(server.uri("/")), new LoadModel.Closed(List.of(1, 2)))
                    .withStepDuration(Duration.ofMillis(200))
                    .withAutoWarmup();

            BenchResult result = Bench.run(plan, Progress.NONE);

            assertThat(plan.warmup()).isEqualTo(Duration.ofMillis(200));
            assertThat(result.warmups()).extracting(Warmup::before).containsExactly("c=1");
        }
    }

    @Test
    void aZeroWarmupRunsNone() {
        try (TestServer server = TestServer.ok()) {
            BenchPlan plan = BenchPlan.of(RequestSpec.get(server.uri("/")), new LoadModel.Closed(List.of(1)))
                    .withRequestsPerStep(5)
                    .withWarmup(Duration.ZERO);

            BenchResult result = Bench.run(plan, Progress.NONE);

            assertThat(result.warmups()).isEmpty();
            assertThat(TerminalSummary.format(result)).doesNotContain("warm-up");
        }
    }
}
