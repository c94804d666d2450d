package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.BenchResult.StepResult;
import io.switchboard.bench.run.Bench;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OpenModelTest {

    /** How long the server stops answering. */
    private static final long STALL_MS = 1000;

    /** When the stall starts, after the first request. */
    private static final long STALL_AFTER_MS = 400;

    @Test
    void openModelP99ShowsAServerStallThatTheSendTimeHides() {
        AtomicLong stallStart = new AtomicLong();
        try (TestServer server = TestServer.start(request -> answerOrStall(request, stallStart))) {
            // One connection: requests due during the stall queue behind the one caught on the wire.
            BenchPlan plan = BenchPlan.of(RequestSpec.get(server.uri("/")), new LoadModel.Open(100, 1))
                    .withStepDuration(Duration.ofSeconds(2))
                    .withEventLoops(1);

            StepResult step = Bench.run(plan, Progress.NONE).steps().getFirst();

            assertThat(step.requests()).isBetween(150L, 210L);
            assertThat(step.errors().total()).isZero();
            // From their due time, the requests due during the stall waited for it: p99 is the stall.
            assertThat(step.latency().p99()).isGreaterThanOrEqualTo(0.8 * STALL_MS);
            // From when they were sent (what a closed-loop tool measures), only one request was slow.
            assertThat(step.serviceTime().p99()).isLessThan(0.5 * STALL_MS);
            // And the generator kept its schedule: the stall was the server's, not the generator's.
            assertThat(step.sendLag().p99()).isLessThan(0.5 * STALL_MS);
        }
    }

    @Test
    void requestsWaitingForAConnectionToASilentServerTimeOutAndTheStepStillEnds() {
        try (TestServer silent = TestServer.start(request -> {})) {
            // One connection, held by a request that is never answered: the others wait for it.
            BenchPlan plan = BenchPlan.of(RequestSpec.get(silent.uri("/")), new LoadModel.Open(50, 1))
                    .withStepDuration(Duration.ofMillis(500))
                    .withTimeout(Duration.ofMillis(300))
                    .withEventLoops(1);
            long start = System.nanoTime();

            StepResult step = Bench.run(plan, Progress.NONE).steps().getFirst();

            assertThat(step.requests()).isBetween(20L, 30L);
            assertThat(step.errors().timeout()).isEqualTo(step.requests());
            assertThat(step.latency().p50()).isGreaterThanOrEqualTo(300);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    /** Answers at once, except during the stall, after which it answers what arrived meanwhile. */
    private static void answerOrStall(HttpServerRequest request, AtomicLong stallStart) {
        long now = System.nanoTime();
        stallStart.compareAndSet(0, now + STALL_AFTER_MS * 1_000_000L);
        long stallEnd = stallStart.get() + STALL_MS * 1_000_000L;
        if (now >= stallStart.get() && now < stallEnd) {
            long waitMs = Math.max(1, (stallEnd - now) / 1_000_000L);
            Vertx.currentContext()
                    .owner()
                    .setTimer(waitMs, id -> request.response().end("late"));
        } else {
            request.response().end("ok");
        }
    }
}
