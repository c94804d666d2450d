package io.switchboard.eye;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.platform.ServerConfig;
import io.switchboard.platform.testing.MutableClock;
import io.switchboard.platform.testing.RunningPlatform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eye's behaviour over HTTP, run once per database (SQLite and PostgreSQL subclasses). One
 * server per class; tests isolate themselves with their own session ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EyeServiceContract {

    static final String WEB_KEY = "web-key-0123456789abcdef";
    static final String MOBILE_KEY = "mobile-key-0123456789abcdef";
    static final Map<String, String> KEYS = Map.of("web", WEB_KEY, "mobile", MOBILE_KEY);

    /** The server's "now"; event timestamps in the tests are around it. */
    static final Instant NOW = Instant.parse("2021-01-01T12:00:00Z");

    final MutableClock clock = new MutableClock(NOW);
    RunningPlatform platform;
    EyeService service;
    /** The data team's key: reads every application's events. */
    String readerKey;

    /** The configuration of the database under test. */
    abstract EyeConfig config(Path dir);

    @BeforeAll
    void start(@TempDir Path dir) {
        service = new EyeService(config(dir));
        platform = RunningPlatform.start(ServerConfig.forTests(), clock, service);
        readerKey = service.apiKeys().create("data-team", ApiKeys.Scope.READER).key();
    }

    @AfterAll
    void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void singleEventIsAcknowledgedWithItsIdAndBecomesQueryable() {
        String session = session();
        Instant received = clock.instant();
        HttpResponse<String> response =
                post(WEB_KEY, event(session, "2021-01-01 09:15:27.243860").encode());

        assertThat(response.statusCode()).isEqualTo(202);
        JsonObject ack = new JsonObject(response.body());
        assertThat(ack.getJsonArray("ids")).hasSize(1);
        assertThat(ack.getInteger("duplicates")).isZero();

        JsonArray events = awaitEvents("session_id=" + session, 1);
        JsonObject stored = events.getJsonObject(0);
        assertThat(stored.getString("id")).isEqualTo(ack.getJsonArray("ids").getString(0));
        assertThat(stored.getString("application")).isEqualTo("web");
        assertThat(stored.getString("timestamp")).isEqualTo("2021-01-01 09:15:27.243860");
        assertThat(stored.getJsonObject("data").getString("host")).isEqualTo("www.consumeraffairs.com");
        assertThat(stored.getString("received_at")).isEqualTo(received.toString());
    }

    @Test
    void batchIsAcknowledgedWithOneIdPerEventInOrder() {
        String session = session();
        JsonArray batch = new JsonArray();
        for (int i = 0; i < 50; i++) {
            batch.add(event(session, String.format("2021-01-01T10:00:%02dZ", i)).put("id", session + "-" + i));
        }
        HttpResponse<String> response = post(MOBILE_KEY, batch.encode());

        assertThat(response.statusCode()).isEqualTo(202);
        JsonArray ids = new JsonObject(response.body()).getJsonArray("ids");
        assertThat(ids).hasSize(50);
        assertThat(ids.getString(7)).isEqualTo(session + "-7");
        JsonArray events = awaitEvents("session_id=" + session + "&limit=1000", 50);
        assertThat(events.getJsonObject(0).getString("application")).isEqualTo("mobile");
    }

    @Test
    void eventWithAStoredIdIsAcknowledgedAgainButStoredOnce() {
        String session = session();
        String body = event(session, "2021-01-01T10:00:00Z")
                .put("id", "retry-" + session)
                .encode();

        HttpResponse<String> first = post(WEB_KEY, body);
        HttpResponse<String> second = post(WEB_KEY, body);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(new JsonObject(second.body()).getInteger("duplicates")).isEqualTo(1);
        assertThat(new JsonObject(second.body()).getJsonArray("ids").getString(0))
                .isEqualTo("retry-" + session);
        awaitEvents("session_id=" + session, 1);
        assertThat(events("session_id=" + session)).hasSize(1);
    }

    @Test
    void batchRepeatingAnIdStoresItOnceAndMarksTheRepeatADuplicate() {
        String session = session();
        JsonObject event = event(session, "2021-01-01T10:00:00Z").put("id", "twice-" + session);
        HttpResponse<String> response =
                post(WEB_KEY, new JsonArray().add(event).add(event).encode());

        assertThat(response.statusCode()).isEqualTo(202);
        JsonObject ack = new JsonObject(response.body());
        assertThat(ack.getInteger("duplicates")).isEqualTo(1);
        assertThat(ack.getJsonArray("duplicate_ids").stream().toList()).containsExactly("twice-" + session);
        awaitEvents("session_id=" + session, 1);
        assertThat(events("session_id=" + session)).hasSize(1);
    }

    @Test
    void concurrentRetriesOfOneIdStoreItExactlyOnce() throws Exception {
        String session = session();
        String body = event(session, "2021-01-01T10:00:00Z")
                .put("id", "race-" + session)
                .encode();
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 32; i++) {
                responses.add(pool.submit((Callable<HttpResponse<String>>) () -> post(WEB_KEY, body)));
            }
            int duplicates = 0;
            for (Future<HttpResponse<String>> response : responses) {
                assertThat(response.get().statusCode()).isEqualTo(202);
                duplicates += new JsonObject(response.get().body()).getInteger("duplicates");
            }
            assertThat(duplicates).isEqualTo(31);
        }
        awaitEvents("session_id=" + session, 1);
        assertThat(events("session_id=" + session)).hasSize(1);
    }

    @Test
    void requestsWithoutAKnownKeyAre401() {
        String body = event(session(), "2021-01-01T10:00:00Z").encode();
        HttpResponse<String> missing = platform.send("POST", "/events", body, "Content-Type", "application/json");
        HttpResponse<String> unknown = post("not-a-key-of-anybody", body);
        HttpResponse<String> query = platform.get("/events", "Authorization", "Bearer nope-nope-nope-nope");

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(query.statusCode()).isEqualTo(401);
    }

    @Test
    void revokedKeyIsRefused() {
        ApiKeys.CreatedKey created = service.apiKeys().create("shortlived");
        assertThat(service.apiKeys().revoke(created.keyId())).isEqualTo(1);

        HttpResponse<String> response =
                post(created.key(), event(session(), "2021-01-01T10:00:00Z").encode());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(service.apiKeys().list()).anySatisfy(key -> {
            assertThat(key.keyId()).isEqualTo(created.keyId());
            assertThat(key.revoked()).isNotNull();
        });
    }

    @Test
    void createdKeyAuthenticatesItsApplication() {
        ApiKeys.CreatedKey created = service.apiKeys().create("newapp");
        String session = session();

        assertThat(post(created.key(), event(session, "2021-01-01T10:00:00Z").encode())
                        .statusCode())
                .isEqualTo(202);
        assertThat(awaitEvents("session_id=" + session, 1).getJsonObject(0).getString("application"))
                .isEqualTo("newapp");
    }

    @Test
    void structurallyBrokenRequestsAre400NamingTheFieldAndStoreNothing() {
        String session = session();
        JsonArray batch =
                new JsonArray().add(event(session, "2021-01-01T10:00:00Z")).add(event(session, "yesterday at noon"));

        assertProblem(post(WEB_KEY, "{not json"), "body");
        assertProblem(
                post(
                        WEB_KEY,
                        event(session, "2021-01-01T10:00:00Z")
                                .put("session_id", 42)
                                .encode()),
                "session_id");
        assertProblem(
                post(
                        WEB_KEY,
                        event(session, "2021-01-01T10:00:00Z").put("data", "x").encode()),
                "data");
        JsonObject noCategory = event(session, "2021-01-01T10:00:00Z");
        noCategory.remove("category");
        assertProblem(post(WEB_KEY, noCategory.encode()), "category");
        assertProblem(post(WEB_KEY, batch.encode()), "[1].timestamp");
        JsonArray tooMany = new JsonArray();
        for (int i = 0; i <= 1000; i++) {
            tooMany.add(event(session, "2021-01-01T10:00:00Z"));
        }
        assertProblem(post(WEB_KEY, tooMany.encode()), "body");

        // A valid marker event proves the processor ran past whatever the broken requests left.
        post(WEB_KEY, event(session + "-marker", "2021-01-01T10:00:00Z").encode());
        awaitEvents("session_id=" + session + "-marker", 1);
        assertThat(events("session_id=" + session)).isEmpty();
        assertThat(errors("session_id=" + session)).isEmpty();
    }

    @Test
    void payloadBreakingItsSchemaIsKeptAsAnErrorWithTheRule() {
        String session = session();
        JsonObject bad = event(session, "2021-01-01T10:00:00Z").put("name", "cta click"); // lacks "element"

        assertThat(post(WEB_KEY, bad.encode()).statusCode()).isEqualTo(202);

        JsonArray errors = awaitErrors("session_id=" + session, 1);
        assertThat(errors.getJsonObject(0).getString("rule")).isEqualTo("schema");
        assertThat(errors.getJsonObject(0).getString("reason")).contains("element");
        assertThat(errors.getJsonObject(0).getString("name")).isEqualTo("cta click");
        assertThat(events("session_id=" + session)).isEmpty();
    }

    @Test
    void timestampInTheFutureBeyondTheSkewIsAnError() {
        String session = session();
        String inAnHour = NOW.plus(Duration.ofHours(1)).toString();
        String inTenSeconds = NOW.plusSeconds(10).toString();
        String other = session();

        post(WEB_KEY, event(session, inAnHour).encode());
        post(WEB_KEY, event(other, inTenSeconds).encode());

        assertThat(awaitErrors("session_id=" + session, 1).getJsonObject(0).getString("rule"))
                .isEqualTo("future-timestamp");
        assertThat(awaitEvents("session_id=" + other, 1)).hasSize(1);
    }

    @Test
    void eventOlderThanAnEarlierEventOfItsSessionIsAnError() {
        String session = session();
        post(WEB_KEY, event(session, "2021-01-01T10:00:00Z").encode());
        awaitEvents("session_id=" + session, 1);
        // Arrival reordering within the window is tolerated; this one arrives after it.
        clock.advance(EyeConfig.DEFAULT_SESSION_REORDER_WINDOW.plusSeconds(1));

        post(
                WEB_KEY,
                event(session, "2021-01-01T09:00:00Z")
                        .put("id", "late-" + session)
                        .encode());

        JsonObject error = awaitErrors("session_id=" + session, 1).getJsonObject(0);
        assertThat(error.getString("rule")).isEqualTo("session-order");
        assertThat(error.getString("id")).isEqualTo("late-" + session);
    }

    @Test
    void unknownCategoryAndNameAreValidWithoutPayloadRules() {
        String session = session();
        post(
                WEB_KEY,
                event(session, "2021-01-01T10:00:00Z")
                        .put("category", "video")
                        .put("name", "play")
                        .put("data", new JsonObject().put("seconds", 3))
                        .encode());

        assertThat(awaitEvents("session_id=" + session, 1).getJsonObject(0).getString("category"))
                .isEqualTo("video");
    }

    @Test
    void cursorWalksEveryEventOnceInTimestampThenIdOrder() {
        String session = session();
        JsonArray batch = new JsonArray();
        for (int i = 0; i < 25; i++) {
            // Pairs share a timestamp, so the id breaks ties.
            batch.add(event(session, String.format("2021-01-01T11:00:%02dZ", i / 2))
                    .put("id", String.format("%s-%02d", session, i)));
        }
        post(WEB_KEY, batch.encode());
        awaitEvents("session_id=" + session + "&limit=1000", 25);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonObject page =
                    query("/events?session_id=" + session + "&limit=10" + (cursor == null ? "" : "&cursor=" + cursor));
            page.getJsonArray("events").forEach(e -> seen.add(((JsonObject) e).getString("id")));
            cursor = page.getString("next_cursor");
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void filtersSelectByCategoryNameApplicationAndHalfOpenTimeRange() {
        String session = session();
        post(
                WEB_KEY,
                new JsonArray()
                        .add(event(session, "2021-01-01T08:00:00Z"))
                        .add(event(session, "2021-01-01T08:30:00Z")
                                .put("category", "form interaction")
                                .put("name", "submit")
                                .put(
                                        "data",
                                        new JsonObject()
                                                .put("host", "h")
                                                .put("path", "/")
                                                .put("form", new JsonObject())))
                        .add(event(session, "2021-01-01T10:00:00+01:00"))
                        .encode());
        post(MOBILE_KEY, event(session, "2021-01-01T09:30:00Z").encode());
        awaitEvents("session_id=" + session, 4);

        assertThat(events("session_id=" + session + "&category=" + enc("form interaction") + "&name=submit"))
                .hasSize(1);
        assertThat(events("session_id=" + session + "&application=mobile")).hasSize(1);
        // 10:00+01:00 is 09:00Z; from is inclusive, to exclusive.
        assertThat(events("session_id=" + session + "&from=" + enc("2021-01-01T08:00:00Z") + "&to="
                        + enc("2021-01-01T09:00:00Z")))
                .hasSize(2);
    }

    @Test
    void invalidQueryParametersAre400NamingTheParameter() {
        assertProblem(platform.get("/events?limit=0", auth()), "limit");
        assertProblem(platform.get("/events?limit=many", auth()), "limit");
        assertProblem(platform.get("/events?from=soon", auth()), "from");
        assertProblem(platform.get("/events/errors?to=later", auth()), "to");
        assertProblem(platform.get("/events?cursor=%21%21", auth()), "cursor");
    }

    @Test
    void errorCountsGroupByCategoryNameAndRule() {
        String session = session();
        JsonArray batch = new JsonArray();
        for (int i = 0; i < 3; i++) {
            batch.add(event(session, "2021-01-01T10:00:0" + i + "Z").put("name", "cta click"));
        }
        post(WEB_KEY, batch.encode());
        awaitErrors("session_id=" + session, 3);

        JsonArray counts = query("/events/errors/counts?session_id=" + session).getJsonArray("counts");

        assertThat(counts).hasSize(1);
        JsonObject count = counts.getJsonObject(0);
        assertThat(count.getString("category")).isEqualTo("page interaction");
        assertThat(count.getString("name")).isEqualTo("cta click");
        assertThat(count.getString("rule")).isEqualTo("schema");
        assertThat(count.getLong("count")).isEqualTo(3L);
    }

    @Test
    void metricsCountAcknowledgedAndInvalidEvents() {
        String session = session();
        post(
                WEB_KEY,
                event(session, "2021-01-01T10:00:00Z").put("name", "cta click").encode());
        awaitErrors("session_id=" + session, 1);

        String metrics = platform.get("/metrics").body();

        assertThat(metrics)
                .contains("switchboard_eye_events_ingested_total")
                .contains("switchboard_eye_events_acknowledged_total")
                .contains("switchboard_eye_events_invalid_total")
                .contains("switchboard_eye_processing_backlog");
    }

    // --- helpers

    static String session() {
        return UUID.randomUUID().toString();
    }

    static JsonObject event(String session, String timestamp) {
        return new JsonObject()
                .put("session_id", session)
                .put("category", "page interaction")
                .put("name", "pageview")
                .put(
                        "data",
                        new JsonObject().put("host", "www.consumeraffairs.com").put("path", "/"))
                .put("timestamp", timestamp);
    }

    HttpResponse<String> post(String key, String body) {
        return platform.send(
                "POST", "/events", body, "Authorization", "Bearer " + key, "Content-Type", "application/json");
    }

    String[] auth() {
        return new String[] {"Authorization", "Bearer " + readerKey};
    }

    JsonObject query(String pathAndQuery) {
        HttpResponse<String> response = platform.get(pathAndQuery, auth());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    JsonArray events(String query) {
        return query("/events?" + query).getJsonArray("events");
    }

    JsonArray errors(String query) {
        return query("/events/errors?" + query).getJsonArray("errors");
    }

    JsonArray awaitEvents(String query, int count) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> events(query), events -> events.size() == count);
    }

    JsonArray awaitErrors(String query, int count) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> errors(query), errors -> errors.size() == count);
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static void assertProblem(HttpResponse<String> response, String parameter) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new JsonObject(response.body()).getString("parameter")).isEqualTo(parameter);
    }
}
