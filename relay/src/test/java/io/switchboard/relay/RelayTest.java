package io.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.platform.testing.RunningPlatform;
import io.vertx.core.http.HttpServerRequest;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pass-through, safety and relay-made failures, against a real backend on loopback. */
class RelayTest {

    private final TestBackend backend = new TestBackend();
    private RunningPlatform relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        backend.close();
    }

    private RunningPlatform start(RelayConfig config) {
        relay = RunningPlatform.start(new RelayService(config));
        return relay;
    }

    @Test
    void relayCopiesStatusHeadersAndBodyFromTheBackendBasePathKeepingTheQuery() {
        backend.answer(req -> req.response()
                .setStatusCode(201)
                .putHeader("Content-Type", "application/json")
                .putHeader("X-Backend", "menu")
                .end("{\"restaurants\":[]}"));
        start(RelayConfig.defaults(backend.base()));

        HttpResponse<String> response = relay.get("/restaurant/?lang=en&x=%2F");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("{\"restaurants\":[]}");
        assertThat(response.headers().firstValue("x-backend")).contains("menu");
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        assertThat(response.headers().allValues("via"))
                .singleElement()
                .asString()
                .matches("1\\.1 switchboard-[0-9a-f]{8}");
        assertThat(backend.last().uri()).isEqualTo("/api/restaurant/?lang=en&x=%2F");
        assertThat(backend.last().headers().get("via"))
                .isEqualTo(response.headers().firstValue("via").orElseThrow());
    }

    @Test
    void theBackendSeesTheRelaysRequestIdAndTheClientGetsOnlyTheRelaysOne() {
        backend.answer(req ->
                req.response().putHeader("X-Request-Id", "backend-own-id").end("ok"));
        start(RelayConfig.defaults(backend.base()));

        HttpResponse<String> response = relay.get("/id", "X-Request-Id", "client-id-1");

        assertThat(response.headers().allValues("x-request-id")).hasSize(1).doesNotContain("backend-own-id");
        assertThat(backend.last().headers().getAll("x-request-id"))
                .containsExactly(response.headers().firstValue("x-request-id").orElseThrow());
    }

    @Test
    void relayRemovesHopByHopHeadersInBothDirections() {
        backend.answer(req -> req.response()
                .putHeader("Connection", "X-Backend-Hop")
                .putHeader("X-Backend-Hop", "secret")
                .putHeader("Keep-Alive", "timeout=5")
                .putHeader("X-End-To-End", "kept")
                .end("ok"));
        start(RelayConfig.defaults(backend.base()));

        String response = RawHttp.send(
                relay.port(),
                "GET /hop HTTP/1.1",
                "Host: 127.0.0.1",
                "Connection: close",
                "Connection: X-Client-Hop",
                "X-Client-Hop: secret",
                "Proxy-Authorization: Basic abc",
                "X-Client-End: kept");

        assertThat(RawHttp.status(response)).isEqualTo(200);
        assertThat(response).contains("X-End-To-End: kept").doesNotContain("X-Backend-Hop", "Keep-Alive");
        TestBackend.Received received = backend.last();
        assertThat(received.headers().get("x-client-end")).isEqualTo("kept");
        assertThat(received.headers().contains("x-client-hop")).isFalse();
        assertThat(received.headers().contains("proxy-authorization")).isFalse();
    }

    @Test
    void postBodiesAreStreamedToTheBackendAndNeverCached() {
        backend.answer(
                req -> req.response().putHeader("Cache-Control", "max-age=600").end("posted"));
        start(RelayConfig.defaults(backend.base()));

        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response =
                    relay.send("POST", "/orders", "{\"dish\":\"soup\"}", "Content-Type", "application/json");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("posted");
        }

        assertThat(backend.count()).isEqualTo(10);
        assertThat(backend.received()).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.body()).isEqualTo("{\"dish\":\"soup\"}");
        });
    }

    @Test
    void absoluteFormRequestTargetsAreRefusedWithoutContactingAnyBackend() {
        start(RelayConfig.defaults(backend.base()));

        String response = RawHttp.send(
                relay.port(),
                "GET http://169.254.169.254/latest HTTP/1.1",
                "Host: 169.254.169.254",
                "Connection: close");

        assertThat(RawHttp.status(response)).isEqualTo(400);
        assertThat(response).contains("application/problem+json").contains("relay-target-refused");
        assertThat(backend.count()).isZero();
    }

    @Test
    void dotDotSegmentsAreRefusedAlsoWhenPercentEncoded() {
        start(RelayConfig.defaults(backend.base()));

        for (String path :
                List.of("/../secret", "/a/%2e%2e/secret", "/a/%2E%2e%2fsecret", "/a/..%5csecret", "/..;/x")) {
            String response = RawHttp.send(relay.port(), "GET " + path + " HTTP/1.1", "Host: x", "Connection: close");
            assertThat(RawHttp.status(response)).as(path).isEqualTo(400);
            assertThat(response).as(path).contains("relay-target-refused");
        }
        assertThat(backend.count()).isZero();
    }

    @Test
    void hostHeaderCannotSteerTheRelayToAnotherServer() {
        start(RelayConfig.defaults(backend.base()));

        String response =
                RawHttp.send(relay.port(), "GET /where HTTP/1.1", "Host: evil.example:6379", "Connection: close");

        assertThat(RawHttp.status(response)).isEqualTo(200);
        assertThat(backend.count()).isEqualTo(1);
        assertThat(backend.last().headers().get("host")).isEqualTo("127.0.0.1:" + backend.port());
    }

    @Test
    void relayAnswers502ProblemWhenTheBackendRefusesConnections() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        start(RelayConfig.defaults(URI.create("http://127.0.0.1:" + closedPort + "/api")));

        HttpResponse<String> response = relay.get("/restaurant");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("content-type")).contains("application/problem+json");
        assertThat(response.body()).contains("relay-backend-unavailable");
    }

    @Test
    void relayAnswers504ProblemWhenTheBackendDoesNotAnswerInTime() {
        backend.answer(req -> {
            // never answers
        });
        start(RelayConfig.defaults(backend.base()).withResponseTimeout(Duration.ofMillis(300)));

        HttpResponse<String> response = relay.get("/slow");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("relay-backend-timeout");
    }

    @Test
    void relayAnswers503ProblemBeyondItsBackendConcurrencyLimit() {
        List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
        backend.answer(held::add);
        start(RelayConfig.defaults(backend.base()).withMaxBackendRequests(1));

        var first = relay.client().sendAsync(relay.request("/held").build(), HttpResponse.BodyHandlers.ofString());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
        HttpResponse<String> refused = relay.get("/other");
        held.get(0).response().end("released");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("relay-backend-busy");
        assertThat(refused.headers().firstValue("retry-after")).isPresent();
        assertThat(first.join().body()).isEqualTo("released");
    }

    @Test
    void relayHonoursRetryAfterByNotCallingTheBackendBeforeThen() {
        backend.answer(req -> req.response()
                .setStatusCode(429)
                .putHeader("Retry-After", "120")
                .end("slow down"));
        start(RelayConfig.defaults(backend.base()));

        HttpResponse<String> limited = relay.get("/restaurant");
        HttpResponse<String> held = relay.get("/restaurant/other");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).isEqualTo("slow down");
        assertThat(held.statusCode()).isEqualTo(503);
        assertThat(held.body()).contains("relay-backend-rate-limited");
        assertThat(held.headers().firstValue("retry-after"))
                .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(100, 120));
        assertThat(backend.count()).isEqualTo(1);
    }

    @Test
    void routesOfOtherServicesAndThePlatformAreNotRelayed() {
        start(RelayConfig.defaults(backend.base()));

        HttpResponse<String> health = relay.get("/health/live");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(backend.count()).isZero();
    }
}
