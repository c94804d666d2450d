package io.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.platform.ServerConfig;
import io.switchboard.platform.testing.MutableClock;
import io.switchboard.platform.testing.RunningPlatform;
import io.vertx.core.http.HttpServerRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The RFC 9111 cache in front of a real backend, with time moved by a test clock. */
class RelayCacheTest {

    private final TestBackend backend = new TestBackend();
    private final MutableClock clock = new MutableClock();
    private RunningPlatform relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        backend.close();
    }

    private void start(RelayConfig config) {
        relay = RunningPlatform.start(ServerConfig.forTests(), clock, new RelayService(config));
    }

    private void start() {
        start(RelayConfig.defaults(backend.base()));
    }

    private static void reply(HttpServerRequest req, String cacheControl, String body) {
        var response = req.response();
        if (cacheControl != null) {
            response.putHeader("Cache-Control", cacheControl);
        }
        response.putHeader("Content-Type", "application/json").end(body);
    }

    @Test
    void freshResponsesAreServedFromCacheWithAgeAndXCache() {
        backend.answer(req -> reply(req, "max-age=60", "{\"n\":1}"));
        start();

        HttpResponse<String> first = relay.get("/restaurant");
        clock.advance(Duration.ofSeconds(10));
        HttpResponse<String> second = relay.get("/restaurant");

        assertThat(first.headers().firstValue("x-cache")).contains("MISS");
        assertThat(second.headers().firstValue("x-cache")).contains("HIT");
        assertThat(second.body()).isEqualTo("{\"n\":1}");
        assertThat(second.headers().firstValue("content-type")).contains("application/json");
        assertThat(Long.parseLong(second.headers().firstValue("age").orElseThrow()))
                .isBetween(10L, 12L);
        assertThat(backend.count()).isEqualTo(1);
    }

    @Test
    void sharedMaxAgeWinsOverMaxAgeAndExpiredResponsesGoBackToTheBackend() {
        backend.answer(req -> reply(req, "max-age=600, s-maxage=5", "x"));
        start();

        relay.get("/restaurant");
        clock.advance(Duration.ofSeconds(6));
        HttpResponse<String> later = relay.get("/restaurant");

        assertThat(later.headers().firstValue("x-cache")).contains("MISS");
        assertThat(backend.count()).isEqualTo(2);
    }

    @Test
    void expiresHeaderGivesFreshness() {
        backend.answer(req -> req.response()
                .putHeader("Date", httpDate(System.currentTimeMillis()))
                .putHeader("Expires", httpDate(System.currentTimeMillis() + 60_000))
                .end("x"));
        start();

        relay.get("/e");
        HttpResponse<String> second = relay.get("/e");

        assertThat(second.headers().firstValue("x-cache")).contains("HIT");
        assertThat(backend.count()).isEqualTo(1);
    }

    @Test
    void noStoreAndPrivateResponsesAreNeverCached() {
        backend.answer(
                req -> reply(req, req.path().endsWith("a") ? "no-store, max-age=60" : "private, max-age=60", "x"));
        start();

        for (String path : List.of("/a", "/a", "/b", "/b")) {
            assertThat(relay.get(path).headers().firstValue("x-cache")).as(path).contains("MISS");
        }
        assertThat(backend.count()).isEqualTo(4);
    }

    @Test
    void responsesWithoutFreshnessAreNotCachedUnlessADefaultTtlIsConfigured() {
        backend.answer(req -> reply(req, null, "x"));
        start();
        relay.get("/plain");
        relay.get("/plain");
        assertThat(backend.count()).isEqualTo(2);
        relay.close();

        start(RelayConfig.defaults(backend.base()).withDefaultTtl(Duration.ofMinutes(5)));
        relay.get("/plain");
        HttpResponse<String> cached = relay.get("/plain");
        assertThat(cached.headers().firstValue("x-cache")).contains("HIT");
        assertThat(backend.count()).isEqualTo(3);
    }

    @Test
    void errorsAreNotCachedWithoutExplicitFreshness() {
        backend.answer(req -> req.response().setStatusCode(500).end("boom"));
        start(RelayConfig.defaults(backend.base()).withDefaultTtl(Duration.ofMinutes(5)));

        assertThat(relay.get("/broken").statusCode()).isEqualTo(500);
        assertThat(relay.get("/broken").body()).isEqualTo("boom");
        assertThat(backend.count()).isEqualTo(2);
    }

    @Test
    void unknownRestaurants404AreCachedOnlyWithTheDefaultTtl() {
        backend.answer(req -> req.response().setStatusCode(404).end("{}"));
        start(RelayConfig.defaults(backend.base()).withDefaultTtl(Duration.ofMinutes(5)));

        relay.get("/restaurant/nope");
        HttpResponse<String> second = relay.get("/restaurant/nope");

        assertThat(second.statusCode()).isEqualTo(404);
        assertThat(second.headers().firstValue("x-cache")).contains("HIT");
        assertThat(backend.count()).isEqualTo(1);
    }

    @Test
    void varySelectsTheStoredVariantByTheNamedRequestHeader() {
        backend.answer(req -> req.response()
                .putHeader("Cache-Control", "max-age=60")
                .putHeader("Vary", "Accept-Language")
                .end("lang=" + req.getHeader("Accept-Language")));
        start();

        relay.get("/menu", "Accept-Language", "en");
        HttpResponse<String> sameLanguage = relay.get("/menu", "Accept-Language", "en");
        HttpResponse<String> otherLanguage = relay.get("/menu", "Accept-Language", "sv");

        assertThat(sameLanguage.headers().firstValue("x-cache")).contains("HIT");
        assertThat(sameLanguage.body()).isEqualTo("lang=en");
        assertThat(otherLanguage.headers().firstValue("x-cache")).contains("MISS");
        assertThat(otherLanguage.body()).isEqualTo("lang=sv");
        assertThat(backend.count()).isEqualTo(2);
    }

    @Test
    void requestsWithAuthorizationDoNotStoreOrdinaryResponses() {
        backend.answer(req -> reply(req, "max-age=60", "mine"));
        start();

        relay.get("/me", "Authorization", "Bearer a");
        relay.get("/me", "Authorization", "Bearer a");

        assertThat(backend.count()).isEqualTo(2);
    }

    @Test
    void concurrentMissesForTheSameKeyAreCollapsedIntoOneBackendRequest() {
        List<HttpServerRequest> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        backend.answer(held::add);
        start();

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            responses.add(relay.client()
                    .sendAsync(relay.request("/restaurant").build(), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.get("/metrics")
                        .body()
                        .contains("switchboard_relay_coalesced_total{application=\"switchboard\"} 7.0"));
        reply(held.get(0), "max-age=60", "menu");

        for (var response : responses) {
            assertThat(response.join().body()).isEqualTo("menu");
        }
        assertThat(backend.count()).isEqualTo(1);
    }

    @Test
    void staleResponsesAreRevalidatedWithTheirEtagAndA304RefreshesThem() {
        AtomicInteger calls = new AtomicInteger();
        backend.answer(req -> {
            if ("\"v1\"".equals(req.getHeader("If-None-Match"))) {
                req.response()
                        .setStatusCode(304)
                        .putHeader("Cache-Control", "max-age=30")
                        .putHeader("ETag", "\"v1\"")
                        .end();
            } else {
                calls.incrementAndGet();
                req.response()
                        .putHeader("Cache-Control", "max-age=5")
                        .putHeader("ETag", "\"v1\"")
                        .end("body-v1");
            }
        });
        start();

        relay.get("/restaurant/x");
        clock.advance(Duration.ofSeconds(10));
        HttpResponse<String> revalidated = relay.get("/restaurant/x");
        clock.advance(Duration.ofSeconds(10));
        HttpResponse<String> hit = relay.get("/restaurant/x");

        assertThat(revalidated.headers().firstValue("x-cache")).contains("REVALIDATED");
        assertThat(revalidated.body()).isEqualTo("body-v1");
        assertThat(backend.received().get(1).headers().get("if-none-match")).isEqualTo("\"v1\"");
        assertThat(hit.headers().firstValue("x-cache")).contains("HIT");
        assertThat(calls).hasValue(1);
        assertThat(backend.count()).isEqualTo(2);
    }

    @Test
    void clientConditionalRequestsAreAnswered304FromTheCache() {
        backend.answer(req -> req.response()
                .putHeader("Cache-Control", "max-age=60")
                .putHeader("ETag", "\"v9\"")
                .end("x"));
        start();

        relay.get("/c");
        HttpResponse<String> notModified = relay.get("/c", "If-None-Match", "\"v9\"");

        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.headers().firstValue("etag")).contains("\"v9\"");
        assertThat(backend.count()).isEqualTo(1);
    }

    @Test
    void staleContentIsServedWhenTheBackendFails() {
        AtomicInteger status = new AtomicInteger(200);
        backend.answer(req -> req.response()
                .setStatusCode(status.get())
                .putHeader("Cache-Control", "max-age=5")
                .end("menu-" + status.get()));
        start();

        relay.get("/restaurant");
        clock.advance(Duration.ofSeconds(60));
        status.set(502);
        HttpResponse<String> stale = relay.get("/restaurant");

        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo("menu-200");
        assertThat(stale.headers().firstValue("x-cache")).contains("STALE");
        assertThat(Long.parseLong(stale.headers().firstValue("age").orElseThrow()))
                .isGreaterThanOrEqualTo(60);
    }

    @Test
    void staleContentIsNotServedBeyondItsBoundOrWhenMustRevalidate() {
        AtomicInteger status = new AtomicInteger(200);
        backend.answer(req -> req.response()
                .setStatusCode(status.get())
                .putHeader("Cache-Control", req.path().endsWith("strict") ? "max-age=5, must-revalidate" : "max-age=5")
                .end("s" + status.get()));
        start(RelayConfig.defaults(backend.base()).withMaxStale(Duration.ofSeconds(30)));

        relay.get("/strict");
        relay.get("/loose");
        clock.advance(Duration.ofSeconds(20));
        status.set(500);

        assertThat(relay.get("/strict").statusCode()).isEqualTo(500);
        assertThat(relay.get("/loose").headers().firstValue("x-cache")).contains("STALE");
        clock.advance(Duration.ofSeconds(60));
        assertThat(relay.get("/loose").statusCode()).isEqualTo(500);
    }

    @Test
    void staleWhileRevalidateAnswersAtOnceAndRefreshesInTheBackground() {
        AtomicInteger version = new AtomicInteger(1);
        backend.answer(req -> reply(req, "max-age=5, stale-while-revalidate=60", "v" + version.get()));
        start();

        relay.get("/swr");
        version.set(2);
        clock.advance(Duration.ofSeconds(10));
        HttpResponse<String> stale = relay.get("/swr");

        assertThat(stale.headers().firstValue("x-cache")).contains("STALE");
        assertThat(stale.body()).isEqualTo("v1");
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.count() == 2);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.get("/swr").body().equals("v2"));
    }

    @Test
    void rateLimitedBackendLeadsToStaleAnswersAndNoCallsBeforeRetryAfter() {
        AtomicInteger status = new AtomicInteger(200);
        backend.answer(req -> {
            if (status.get() == 429) {
                req.response()
                        .setStatusCode(429)
                        .putHeader("Retry-After", "300")
                        .end();
            } else {
                reply(req, "max-age=5", "menu");
            }
        });
        start();

        relay.get("/restaurant");
        clock.advance(Duration.ofSeconds(30));
        status.set(429);
        HttpResponse<String> first = relay.get("/restaurant");
        HttpResponse<String> second = relay.get("/restaurant");

        assertThat(first.headers().firstValue("x-cache")).contains("STALE");
        assertThat(second.headers().firstValue("x-cache")).contains("STALE");
        assertThat(second.body()).isEqualTo("menu");
        assertThat(backend.count()).isEqualTo(2);
        assertThat(relay.get("/metrics").body())
                .contains("switchboard_relay_cache_total{application=\"switchboard\",result=\"stale\"} 2.0");
    }

    @Test
    void headRequestsAreAnsweredFromTheStoredGetResponse() {
        backend.answer(req -> reply(req, "max-age=60", "12345"));
        start();

        relay.get("/h");
        HttpResponse<String> head = relay.send(relay.request("/h")
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("content-length")).contains("5");
        assertThat(head.headers().firstValue("x-cache")).contains("HIT");
        assertThat(backend.count()).isEqualTo(1);
    }

    @Test
    void aSuccessfulPostInvalidatesTheStoredResponseOfItsTargetAndLocation() {
        backend.answer(req -> {
            if (req.method().name().equals("POST")) {
                req.response()
                        .setStatusCode(201)
                        .putHeader("Location", "/api/orders/1")
                        .end();
            } else {
                reply(req, "max-age=600", "v" + backend.count());
            }
        });
        start();

        relay.get("/orders");
        relay.get("/orders/1");
        relay.send("POST", "/orders", "{}", "Content-Type", "application/json");

        assertThat(relay.get("/orders").headers().firstValue("x-cache")).contains("MISS");
        assertThat(relay.get("/orders/1").headers().firstValue("x-cache")).contains("MISS");
    }

    @Test
    void aResponseWithAnInvalidAgeIsCachedAsIfItHadNone() {
        // RFC 9111 §5.1: an invalid Age is ignored (the current conformance suite checks it).
        backend.answer(req -> req.response()
                .putHeader("Cache-Control", "max-age=600")
                .putHeader("Age", "12abc")
                .end("x"));
        start();

        relay.get("/age");
        HttpResponse<String> second = relay.get("/age");

        assertThat(second.headers().firstValue("x-cache")).contains("HIT");
        assertThat(backend.count()).isEqualTo(1);
    }

    @Test
    void aMissPassesTheBackendsAgeOnAndHitsCountFromIt() {
        backend.answer(req -> req.response()
                .putHeader("Cache-Control", "max-age=600")
                .putHeader("Age", "100")
                .end("x"));
        start();

        HttpResponse<String> miss = relay.get("/aged");
        clock.advance(Duration.ofSeconds(20));
        HttpResponse<String> hit = relay.get("/aged");

        assertThat(miss.headers().firstValue("age")).contains("100");
        assertThat(Long.parseLong(hit.headers().firstValue("age").orElseThrow()))
                .isBetween(120L, 122L);
    }

    @Test
    void a304KeepsTheStoredEtagButUpdatesOtherHeaders() {
        backend.answer(req -> {
            if (req.getHeader("If-None-Match") != null) {
                req.response()
                        .setStatusCode(304)
                        .putHeader("ETag", "\"other\"")
                        .putHeader("X-Version", "2")
                        .putHeader("Cache-Control", "max-age=60")
                        .end();
            } else {
                req.response()
                        .putHeader("ETag", "\"first\"")
                        .putHeader("X-Version", "1")
                        .putHeader("Cache-Control", "max-age=1")
                        .end("x");
            }
        });
        start();

        relay.get("/v");
        clock.advance(Duration.ofSeconds(5));
        HttpResponse<String> revalidated = relay.get("/v");

        assertThat(revalidated.headers().firstValue("etag")).contains("\"first\"");
        assertThat(revalidated.headers().allValues("x-version")).containsExactly("2");
    }

    private static String httpDate(long millis) {
        return java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(millis), java.time.ZoneOffset.UTC));
    }
}
