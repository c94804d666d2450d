package io.switchboard.mock.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.platform.testing.RunningPlatform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkMockServiceTest {

    private RunningPlatform platform;
    private WorkMockService mock;

    private void start(WorkMockConfig config) {
        mock = new WorkMockService(config);
        platform = RunningPlatform.start(mock);
    }

    @AfterEach
    void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    private void scenario(String json) {
        HttpResponse<String> response = platform.send("POST", "/setscenario", json);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("OK");
    }

    @Test
    void scriptedAnswersAreServedInOrderWithTheirStatusBodyAndDelay() {
        start(WorkMockConfig.reliable());
        scenario("[[\"{\\\"time\\\": 1}\", 200, 0], [\"oops\", 503, 0], [\"{\\\"time\\\": 3}\", 200, 300]]");

        HttpResponse<String> first = platform.get("/api/work");
        HttpResponse<String> second = platform.get("/");
        long started = System.nanoTime();
        HttpResponse<String> third = platform.get("/api/work");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("{\"time\": 1}");
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.body()).isEqualTo("oops");
        assertThat(third.body()).isEqualTo("{\"time\": 3}");
        assertThat(elapsedMs).isGreaterThanOrEqualTo(290);
    }

    @Test
    void aLargeScenarioPostedAsAFormIsReadAsJsonLikeTheSeedsExampleSendsIt() {
        start(WorkMockConfig.reliable());
        String entries = String.join(",", java.util.Collections.nCopies(30_000, "[\"{\\\"time\\\":50}\", 200, 50]"));

        HttpResponse<String> response = platform.send(
                "POST", "/setscenario", "[" + entries + "]", "Content-Type", "application/x-www-form-urlencoded");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("OK");
    }

    @Test
    void requestsListsArrivalTimesSinceTheScenarioWasSet() {
        start(WorkMockConfig.reliable());
        platform.get("/api/work");
        scenario("[[\"{\\\"time\\\": 1}\", 200, 0], [\"{\\\"time\\\": 2}\", 200, 0]]");

        platform.get("/api/work");
        platform.get("/api/work");

        JsonArray times = new JsonArray(platform.get("/requests").body());
        assertThat(times).hasSize(2);
        assertThat(times.getDouble(0)).isBetween(0.0, 10.0);
        assertThat(times.getDouble(1)).isGreaterThanOrEqualTo(times.getDouble(0));
    }

    @Test
    void withoutAScriptItAnswersLikeTheAssignmentsBackendWithin100To600Ms() {
        start(WorkMockConfig.reliable());

        HttpResponse<String> response = platform.get("/api/work");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getInteger("time")).isBetween(100, 600);
    }

    @Test
    void theDefaultBehaviourProducesErrorsWhenConfiguredTo() {
        start(new WorkMockConfig("", Duration.ZERO, Duration.ofMillis(5), 1.0, 0, 0, false));

        assertThat(platform.get("/api/work").statusCode()).isEqualTo(500);
    }

    @Test
    void aResetFaultClosesTheConnectionWithoutAnAnswer() {
        start(WorkMockConfig.reliable());
        // java.net.http retries a GET once when the connection closes before the answer.
        scenario("[[\"\", 200, 0, \"reset\"], [\"\", 200, 0, \"reset\"]]");

        assertThatThrownBy(() -> platform.get("/api/work"))
                .isInstanceOf(IllegalStateException.class)
                .hasRootCauseInstanceOf(java.io.IOException.class);
    }

    @Test
    void aSlowBodyArrivesWholeButOnlyAfterTheDelay() {
        start(WorkMockConfig.reliable());
        scenario("[[\"{\\\"time\\\": 42}\", 200, 400, \"slow-body\"]]");

        long started = System.nanoTime();
        HttpResponse<String> response = platform.get("/api/work");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.body()).isEqualTo("{\"time\": 42}");
        assertThat(elapsedMs).isGreaterThanOrEqualTo(350);
    }

    @Test
    void aHangingRequestIsHeldUntilTheClientLeavesAndThenCountedAsAbandoned() {
        start(WorkMockConfig.reliable());
        scenario("[[\"\", 200, 0, \"hang\"]]");

        CompletableFuture<HttpResponse<String>> pending = platform.client()
                .sendAsync(
                        platform.request("/api/work")
                                .timeout(Duration.ofMillis(300))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(pending).failsWithin(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> mock.abandoned() == 1);
        assertThat(mock.inProgress()).isZero();
    }

    @Test
    void anInvalidScenarioIsRefusedWith400NamingTheEntry() {
        start(WorkMockConfig.reliable());

        HttpResponse<String> response =
                platform.send("POST", "/setscenario", "[[\"{}\", 200, 0], [\"{}\", 200, 0, \"explode\"]]");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(response.body()).getString("detail"))
                .isEqualTo("scenario entry 1: fault must be one of none, reset, slow-body, hang; was 'explode'");
    }

    @Test
    void theRootRouteMatchesOnlyTheExactPath() {
        start(WorkMockConfig.reliable());

        assertThat(platform.get("/api/restaurant").statusCode()).isEqualTo(404);
        assertThat(platform.send("POST", "/", "").statusCode()).isEqualTo(405);
    }

    @Test
    void statsCountReceivedAndAnsweredRequests() {
        start(WorkMockConfig.reliable());
        scenario("[[\"{\\\"time\\\": 1}\", 200, 0]]");
        platform.get("/api/work");

        JsonObject stats = new JsonObject(platform.get("/stats").body());

        assertThat(stats.getLong("received")).isEqualTo(1);
        assertThat(stats.getLong("answered")).isEqualTo(1);
        assertThat(stats.getLong("in_progress")).isZero();
    }
}
