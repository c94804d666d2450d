package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.BenchResult.StepResult;
import io.switchboard.bench.report.TerminalSummary;
import io.switchboard.bench.run.Bench;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A refused connection is a connection error and nothing else: not a request, not throughput,
 * not a 0 ms latency (it once made a dead server look like 3,109 req/s).
 */
class RefusedConnectionTest {

    @Test
    void aRefusedConnectionIsAConnectionErrorNeverThroughputOrLatency() throws Exception {
        URI refused;
        try (ServerSocket socket = new ServerSocket(0)) {
            refused = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
        }
        BenchPlan plan = BenchPlan.of(RequestSpec.get(refused), new LoadModel.Closed(List.of(1)))
                .withStepDuration(Duration.ofMillis(300));

        BenchResult result = Bench.run(plan, Progress.NONE);
        StepResult step = result.steps().getFirst();

        assertThat(step.errors().connection()).isPositive();
        assertThat(step.requests()).isZero();
        assertThat(step.throughput()).isZero();
        assertThat(step.latency().count()).isZero();
        assertThat(step.errorRate()).isEqualTo(1.0);
        assertThat(step.timeline())
                .allSatisfy(point -> assertThat(point.throughput()).isZero());
        assertThat(result.overall().throughput()).isZero();
        // The table shows no latency rather than a reassuring 0.
        String row = TerminalSummary.format(result)
                .lines()
                .filter(line -> line.startsWith("c=1"))
                .findFirst()
                .orElseThrow();
        assertThat(row.split("\\s+")).containsSequence("c=1", "0", "0", "0.00", "-", "-", "-");
    }

    @Test
    void answersCountTheirBodyBytes() {
        try (TestServer server = TestServer.start(request -> request.response().end("x".repeat(1000)))) {
            BenchPlan plan = BenchPlan.of(RequestSpec.get(server.uri("/")), new LoadModel.Closed(List.of(1)))
                    .withRequestsPerStep(20);

            StepResult step = Bench.run(plan, Progress.NONE).steps().getFirst();

            assertThat(step.requests()).isEqualTo(20);
            assertThat(step.bytes()).isEqualTo(20_000);
            assertThat(step.bytesPerSecond()).isPositive();
        }
    }

    @Test
    void severalRatesRunAsStepsInTurn() {
        try (TestServer server = TestServer.ok()) {
            BenchPlan plan = BenchPlan.of(RequestSpec.get(server.uri("/")), new LoadModel.Open(List.of(50.0, 100.0), 4))
                    .withStepDuration(Duration.ofMillis(400));

            BenchResult result = Bench.run(plan, Progress.NONE);

            assertThat(result.steps()).extracting(StepResult::name).containsExactly("rate=50/s", "rate=100/s");
            assertThat(result.steps().get(1).requests())
                    .isGreaterThan(result.steps().get(0).requests());
        }
    }
}
