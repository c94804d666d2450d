package io.switchboard.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.mock.work.WorkMockConfig;
import io.switchboard.mock.work.WorkMockService;
import io.switchboard.platform.testing.RunningPlatform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four endpoints against the work mock on loopback, with scripted timings. Margins are wide
 * (hundreds of milliseconds) so they hold on a loaded 2-core machine.
 */
class FanoutServiceTest {

    @TempDir
    Path dir;

    private RunningPlatform backend;
    private WorkMockService mock;
    private RunningPlatform app;
    private FanoutService service;

    private void start(UnaryOperator<FanoutConfig> customize) {
        mock = new WorkMockService(WorkMockConfig.reliable());
        backend = RunningPlatform.start(mock);
        URI url = URI.create("http://127.0.0.1:" + backend.port() + "/api/work");
        service = new FanoutService(
                customize.apply(FanoutConfig.defaults(url, dir.resolve("backend_errors.log"))), Clock.systemUTC());
        app = RunningPlatform.start(service);
    }

    private void start() {
        start(config -> config);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private void scenario(String json) {
        HttpResponse<String> response = backend.send("POST", "/setscenario", json);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("OK");
    }

    private JsonArray arrivals() {
        return new JsonArray(backend.get("/requests").body());
    }

    private static String ok(int time, int delay) {
        return "[\"{\\\"time\\\": " + time + "}\", 200, " + delay + "]";
    }

    private static String entries(String... entries) {
        return "[" + String.join(",", entries) + "]";
    }

    /** The Prometheus page without the registry's common tag, so assertions read like the meters. */
    private String metrics() {
        return app.get("/metrics").body().replace("application=\"switchboard\",", "");
    }

    private void assertNothingLeft() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(service.backendInFlight())
                    .as("backend requests in flight")
                    .isZero();
            assertThat(service.pendingTimers()).as("fan-out timers pending").isZero();
            assertThat(service.activeRuns()).as("fan-outs running").isZero();
            assertThat(mock.inProgress())
                    .as("requests the mock is still serving")
                    .isZero();
        });
    }

    @Test
    void smartFiresExactlyOneRequestWhenTheFirstAnswersFast() {
        start();
        scenario(entries(ok(50, 50), ok(60, 50), ok(70, 50)));

        HttpResponse<String> response = app.get("/api/smart?timeout=3000");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body())).isEqualTo(new JsonObject().put("time", 50));
        assertThat(response.headers().firstValue(FanoutService.ATTEMPTS_HEADER)).hasValue("1");
        assertNothingLeft();
        assertThat(arrivals()).hasSize(1);
    }

    @Test
    void smartFiresTwoMoreAfterTheHedgeDelayWhenTheFirstIsSlow() {
        start();
        scenario(entries(ok(1, 5000), ok(2, 100), ok(3, 100)));

        long started = System.nanoTime();
        HttpResponse<String> response = app.get("/api/smart/4000");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getInteger("time")).isIn(2, 3);
        assertThat(response.headers().firstValue(FanoutService.ATTEMPTS_HEADER)).hasValue("3");
        assertThat(response.headers().firstValue(FanoutService.WINNER_HEADER))
                .get()
                .isIn("2", "3");
        assertThat(elapsedMs).isBetween(300L, 3000L);
        JsonArray times = arrivals();
        assertThat(times).hasSize(3);
        // The hedges wait for the 300 ms delay; arrival times at the mock also include the first
        // attempt's connection set-up, so on a loaded machine the measured gap can be a little shorter.
        assertThat(times.getDouble(1) - times.getDouble(0)).isGreaterThanOrEqualTo(0.2);
        assertThat(times.getDouble(2) - times.getDouble(1))
                .as("both hedges fire together")
                .isLessThan(0.5);
        // The slow first attempt lost: its connection was closed, not left to run for 5 s.
        await().atMost(Duration.ofSeconds(3)).until(() -> mock.abandoned() >= 1);
        assertNothingLeft();
    }

    @Test
    void smartHedgesAtOnceWhenTheFirstFails() {
        // A hedge delay far beyond the test's time: only the failure of the first can fire the hedge.
        start(config -> config.withHedgeDelay(Duration.ofSeconds(20)));
        scenario(entries("[\"boom\", 500, 0]", ok(2, 50), ok(3, 50)));

        long started = System.nanoTime();
        HttpResponse<String> response = app.get("/api/smart?timeout=30000");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue(FanoutService.ATTEMPTS_HEADER)).hasValue("3");
        assertThat(arrivals()).hasSize(3);
        assertThat(elapsedMs).isLessThan(10_000L);
    }

    @Test
    void smartAnswersTimeoutAfterExactlyOneRequestWhenTheTimeoutIsBelowTheHedgeDelay() {
        start();
        scenario(entries(ok(1, 5000), ok(2, 5000), ok(3, 5000)));

        long started = System.nanoTime();
        HttpResponse<String> response = app.get("/api/smart?timeout=200");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getString("type")).endsWith("/fanout-timeout");
        assertThat(problem.getString("detail")).contains("200 ms").contains("1 attempt(s) fired");
        assertThat(elapsedMs).isBetween(190L, 1500L);
        assertNothingLeft();
        assertThat(arrivals()).hasSize(1);
    }

    @Test
    void smartAnswers502AsSoonAsAllThreeFailed() {
        start();
        scenario(entries("[\"boom\", 500, 0]", "[\"nope\", 503, 0]", "[\"{\\\"time\\\": \", 200, 0]"));

        long started = System.nanoTime();
        HttpResponse<String> response = app.get("/api/smart?timeout=5000");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(502);
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getString("type")).endsWith("/fanout-all-failed");
        assertThat(problem.getString("detail"))
                .contains("All 3 attempt(s) failed")
                .contains("status 500")
                .contains("status 503")
                .contains("invalid body");
        assertThat(elapsedMs).isLessThan(2500L);
    }

    @Test
    void smartUsesTheConfiguredDefaultTimeoutWithoutOne() {
        start(config -> config.withDefaultTimeout(Duration.ofMillis(400)));
        scenario(entries(ok(1, 5000), ok(2, 5000), ok(3, 5000)));

        long started = System.nanoTime();
        HttpResponse<String> response = app.get("/api/smart");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(new JsonObject(response.body()).getString("detail")).contains("400 ms");
        assertThat(elapsedMs).isBetween(390L, 2000L);
    }

    @Test
    void brokenJsonUnderA200CountsAsAFailure() {
        start();
        scenario(entries("[\"{\\\"time\\\": \", 200, 10]", ok(7, 300), "[\"{\\\"time\\\": \\\"x\\\"}\", 200, 10]"));

        HttpResponse<String> response = app.get("/api/first?timeout=3000");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getInteger("time")).isEqualTo(7);
        // Concurrent attempts reach the mock in any order: the answer's attempt index is not scripted.
    }

    @Test
    void allReturnsEverySuccessOnceAllThreeFinished() {
        start();
        scenario(entries(ok(1, 50), "[\"boom\", 500, 50]", ok(3, 200)));

        HttpResponse<String> response = app.get("/api/all?timeout=3000");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonArray answers = new JsonArray(response.body());
        // Concurrent attempts reach the mock in any order, so which attempt got which entry is not scripted.
        assertThat(answers.stream().map(a -> ((JsonObject) a).getInteger("time")))
                .containsExactlyInAnyOrder(1, 3);
        assertThat(arrivals()).hasSize(3);
    }

    @Test
    void allAnswers504WhenTheTimeoutPassesBeforeAllThreeFinished() {
        start();
        scenario(entries(ok(1, 50), ok(2, 50), ok(3, 5000)));

        long started = System.nanoTime();
        HttpResponse<String> response = app.get("/api/all/1500");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(new JsonObject(response.body()).getString("detail"))
                .contains("deadline of 1500 ms")
                .contains("3 attempt(s) fired");
        assertThat(elapsedMs).isBetween(490L, 2500L);
        await().atMost(Duration.ofSeconds(3)).until(() -> mock.abandoned() >= 1);
        assertNothingLeft();
    }

    @Test
    void firstReturnsTheFirstSuccessAndCancelsTheLosers() {
        start();
        scenario(entries(ok(1, 5000), ok(2, 50), ok(3, 5000)));

        HttpResponse<String> response = app.get("/api/first?timeout=4000");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getInteger("time")).isEqualTo(2);
        // Concurrent attempts reach the mock in any order: the answer's attempt index is not scripted.
        // Both losers were reset at once: the mock sees their connections close long before 5 s.
        await().atMost(Duration.ofSeconds(3)).until(() -> mock.abandoned() == 2);
        assertNothingLeft();
    }

    @Test
    void firstAnswers504WhenNothingSucceedsInTime() {
        start();
        scenario(entries("[\"boom\", 500, 0]", ok(2, 5000), "[\"\", 200, 0, \"hang\"]"));

        HttpResponse<String> response = app.get("/api/first?timeout=300");

        assertThat(response.statusCode()).isEqualTo(504);
        assertNothingLeft();
    }

    @Test
    void withinTimeoutReturnsTheSuccessesThatArrivedInTime() {
        start();
        scenario(entries(ok(1, 50), ok(2, 5000), "[\"boom\", 500, 50]"));

        long started = System.nanoTime();
        HttpResponse<String> response = app.get("/api/within-timeout?timeout=1500");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonArray(response.body())).containsExactly(new JsonObject().put("time", 1));
        assertThat(elapsedMs).isBetween(1490L, 4000L);
        assertNothingLeft();
    }

    @Test
    void withinTimeoutAnswersAnEmptyArrayRatherThanAnError() {
        start();
        scenario(entries(ok(1, 5000), "[\"boom\", 500, 0]", "[\"\", 200, 0, \"reset\"]"));

        HttpResponse<String> response = app.get("/api/within-timeout/200");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[]");
    }

    @Test
    void withinTimeoutAnswersAsSoonAsAllThreeSettled() {
        start();
        scenario(entries(ok(1, 50), ok(2, 50), ok(3, 50)));

        long started = System.nanoTime();
        HttpResponse<String> response = app.get("/api/within-timeout?timeout=10000");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonArray(response.body())).hasSize(3);
        assertThat(elapsedMs).isLessThan(5000L);
    }

    @Test
    void aClientThatLeavesTakesItsFanoutWithIt() {
        start();
        String hang = "[\"\", 200, 0, \"hang\"]";
        scenario(entries(hang, hang, hang));

        CompletableFuture<HttpResponse<String>> leaving = app.client()
                .sendAsync(
                        app.request("/api/first?timeout=30000")
                                .timeout(Duration.ofMillis(500))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(leaving).failsWithin(Duration.ofSeconds(10));
        // Long before the 30 s timeout, the three backend requests are reset and nothing is left.
        await().atMost(Duration.ofSeconds(10)).until(() -> mock.abandoned() == 3);
        assertNothingLeft();
        assertThat(metrics())
                .contains("switchboard_fanout_requests_total{endpoint=\"first\",outcome=\"abandoned\"} 1.0");
    }

    @Test
    void invalidTimeoutsAreRefusedWith400NamingTimeout() {
        start();
        for (String path : List.of(
                "/api/smart?timeout=abc",
                "/api/smart/0",
                "/api/all?timeout=-5",
                "/api/first/99999999",
                "/api/within-timeout?timeout=1.5")) {
            HttpResponse<String> response = app.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            JsonObject problem = new JsonObject(response.body());
            assertThat(problem.getString("parameter")).as(path).isEqualTo("timeout");
            assertThat(problem.getString("detail")).as(path).contains("from 1 to 60000");
        }
        assertThat(mock.received()).isZero();
    }

    @Test
    void requestsBeyondTheLimitAreRefusedWith503() {
        start(config -> config.withRequestsLimit(2));
        String hang = "[\"\", 200, 0, \"hang\"]";
        scenario(entries(hang, hang, hang, hang, hang, hang));

        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(app.client()
                    .sendAsync(
                            app.request("/api/first?timeout=3000").GET().build(),
                            HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> mock.received() == 6);

        HttpResponse<String> refused = app.get("/api/first?timeout=3000");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(new JsonObject(refused.body()).getString("detail")).contains("fanout limit");
        assertThat(mock.received()).isEqualTo(6);
        for (CompletableFuture<HttpResponse<String>> request : held) {
            assertThat(request.join().statusCode()).isEqualTo(504);
        }
        assertThat(metrics()).contains("switchboard_requests_refused_total{limit=\"fanout\"} 1.0");
        assertNothingLeft();
    }

    @Test
    void everyFailedBackendCallIsAppendedToTheErrorLogAsAJsonLine() throws Exception {
        start();
        scenario(entries("[\"boom\", 500, 0]", "[\"{\\\"time\\\": \", 200, 0]", "[\"\", 200, 0, \"reset\"]"));

        HttpResponse<String> response = app.get("/api/all?timeout=3000");

        assertThat(response.statusCode()).isEqualTo(502);
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        Path log = dir.resolve("backend_errors.log");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Files.exists(log) && Files.readAllLines(log).size() == 3);
        List<JsonObject> lines =
                Files.readAllLines(log).stream().map(JsonObject::new).toList();
        assertThat(lines)
                .extracting(line -> line.getString("failure"))
                .containsExactlyInAnyOrder("status", "invalid_body", "connection");
        assertThat(lines).extracting(line -> line.getInteger("attempt")).containsExactlyInAnyOrder(1, 2, 3);
        for (JsonObject line : lines) {
            assertThat(line.getString("request_id")).isEqualTo(requestId);
            assertThat(line.getString("url")).isEqualTo("http://127.0.0.1:" + backend.port() + "/api/work");
            assertThat(line.getString("time")).isNotBlank();
            assertThat(line.getDouble("latency_ms")).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void manyConcurrentFanoutsLeaveNoRequestTimerOrConnectionBehind() {
        start();
        // No script: the mock's default 100–600 ms delays make every endpoint cancel losers.
        List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String endpoint = List.of("/api/first", "/api/smart", "/api/all", "/api/within-timeout")
                    .get(i % 4);
            requests.add(app.client()
                    .sendAsync(
                            app.request(endpoint + "?timeout=" + (i % 2 == 0 ? 350 : 2000))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> request : requests) {
            assertThat(request.join().statusCode()).isIn(200, 504);
        }
        assertNothingLeft();
        assertThat(mock.abandoned()).isPositive();
    }

    @Test
    void hedgesAndWinsAreMeasured() {
        start();
        scenario(entries(ok(1, 5000), ok(2, 50), ok(3, 50)));

        assertThat(app.get("/api/smart?timeout=4000").statusCode()).isEqualTo(200);

        String metrics = metrics();
        assertThat(metrics).contains("switchboard_fanout_hedges_total{endpoint=\"smart\"} 1.0");
        assertThat(metrics).containsPattern("switchboard_fanout_wins_total\\{attempt=\"[23]\",endpoint=\"smart\"} 1.0");
        assertThat(metrics).doesNotContain("switchboard_fanout_wins_total{attempt=\"1\"");
        assertThat(metrics).contains("switchboard_fanout_attempts_sum{endpoint=\"smart\"} 3.0");
        assertThat(metrics)
                .contains("switchboard_fanout_backend_latency_seconds_count{endpoint=\"smart\",outcome=\"success\"} 1");
    }
}
