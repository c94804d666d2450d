package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.BenchResult.StepResult;
import io.switchboard.bench.run.Bench;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ClosedModelTest {

    @Test
    void sweepRunsOneStepPerConcurrencyAndAnswersAreCounted() {
        try (TestServer server = TestServer.ok()) {
            BenchPlan plan = BenchPlan.of(RequestSpec.get(server.uri("/")), new LoadModel.Closed(List.of(1, 4)))
                    .withStepDuration(Duration.ofMillis(400));

            BenchResult result = Bench.run(plan, Progress.NONE);

            assertThat(result.steps()).extracting(StepResult::name).containsExactly("c=1", "c=4");
            assertThat(result.steps()).allSatisfy(step -> {
                assertThat(step.requests()).isPositive();
                assertThat(step.throughput()).isPositive();
                assertThat(step.errors().byStatus()).containsOnlyKeys(200);
                assertThat(step.latency().p50())
                        .isPositive()
                        .isLessThanOrEqualTo(step.latency().max());
            });
            assertThat(result.overall().requests())
                    .isEqualTo(result.steps().get(0).requests()
                            + result.steps().get(1).requests());
        }
    }

    @Test
    void requestCountEndsTheStepAfterExactlyThatManyRequests() {
        try (TestServer server = TestServer.ok()) {
            BenchPlan plan = BenchPlan.of(RequestSpec.get(server.uri("/")), new LoadModel.Closed(List.of(3)))
                    .withRequestsPerStep(50);

            StepResult step = Bench.run(plan, Progress.NONE).steps().getFirst();

            assertThat(step.requests()).isEqualTo(50);
            assertThat(step.seconds()).isLessThan(10);
        }
    }

    @Test
    void requestsFromAFileAreSentRoundRobinWithTheirMethodsAndBodies() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TestServer server = TestServer.start(request -> request.body().onSuccess(body -> {
            seen.add(request.method() + " " + request.path() + " " + body);
            request.response().end();
        }))) {
            List<RequestSpec> requests = List.of(
                    RequestSpec.parseLine("GET " + server.uri("/a"), List.of()),
                    RequestSpec.parseLine("POST " + server.uri("/b") + " {\"x\": 1}", List.of()));
            BenchPlan plan = new BenchPlan(
                    requests,
                    new LoadModel.Closed(List.of(1)),
                    Duration.ofSeconds(5),
                    4,
                    Duration.ZERO,
                    Duration.ofSeconds(5),
                    null,
                    null,
                    1);

            Bench.run(plan, Progress.NONE);

            // The first is the unmeasured priming request; the rotation goes on from there.
            assertThat(seen)
                    .containsExactly("GET /a ", "POST /b {\"x\": 1}", "GET /a ", "POST /b {\"x\": 1}", "GET /a ");
        }
    }

    @Test
    void errorsAreCountedByKind() throws Exception {
        URI refused;
        try (ServerSocket socket = new ServerSocket(0)) {
            refused = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
        }
        try (TestServer failing = TestServer.start(
                        request -> request.response().setStatusCode(503).end());
                TestServer silent = TestServer.start(request -> {})) {
            StepResult status = runBriefly(failing.uri("/"), Duration.ofSeconds(5));
            StepResult timeout = runBriefly(silent.uri("/"), Duration.ofMillis(200));
            StepResult connection = runBriefly(refused, Duration.ofSeconds(5));

            assertThat(status.errors().status()).isEqualTo(status.requests()).isPositive();
            assertThat(status.errors().byStatus()).containsOnlyKeys(503);
            assertThat(timeout.errors().timeout()).isPositive();
            assertThat(timeout.latency().p50()).isGreaterThanOrEqualTo(200);
            assertThat(connection.errors().connection()).isPositive();
            assertThat(connection.errors().status() + connection.errors().timeout())
                    .isZero();
        }
    }

    private static StepResult runBriefly(URI uri, Duration timeout) {
        BenchPlan plan = BenchPlan.of(RequestSpec.get(uri), new LoadModel.Closed(List.of(2)))
                .withStepDuration(Duration.ofMillis(300))
                .withTimeout(timeout);
        return Bench.run(plan, Progress.NONE).steps().getFirst();
    }
}
