package io.switchboard.eye;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.eye.ingest.Timestamps;
import io.switchboard.eye.process.EventProcessor;
import io.switchboard.platform.ServerConfig;
import io.switchboard.platform.testing.MutableClock;
import io.switchboard.platform.testing.RunningPlatform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 15: one bad event never stops processing; strict input; a lagging processor shows. Run once
 * per database. Poisoned events are written straight into the table, as if they had slipped past
 * ingestion (an older version, a bug, a hand-made row).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class Issue15Contract {

    static final String KEY = "issue15-key-0123456789abcdef";

    static final String WEB_KEY = "issue15-web-key-0123456789";

    static final String MOBILE_KEY = "issue15-mobile-key-0123456789";

    static final Map<String, String> KEYS = Map.of("issue15", KEY, "web", WEB_KEY, "mobile", MOBILE_KEY);

    static final Instant NOW = Instant.parse("2021-01-01T12:00:00Z");

    /** The allowed processing lag of the server under test. */
    static final Duration MAX_LAG = Duration.ofSeconds(30);

    final MutableClock clock = new MutableClock(NOW);
    final ListAppender<ILoggingEvent> processorLog = new ListAppender<>();
    RunningPlatform platform;
    EyeService service;
    String readerKey;
    String adminKey;

    abstract EyeConfig config(Path dir);

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        Path schemas = Files.createDirectories(dir.resolve("schemas"));
        // Compiles, but its reference cannot be resolved when an event is validated against it.
        Files.writeString(schemas.resolve("broken.json"), """
                {"x-eye-category": "poison", "x-eye-name": "broken schema",
                 "$ref": "urn:issue15:this-schema-does-not-exist"}
                """);
        service = new EyeService(config(dir).withSchemaDir(schemas).withMaxProcessingLag(MAX_LAG));
        platform = RunningPlatform.start(ServerConfig.forTests(), clock, service);
        readerKey = service.apiKeys().create("data-team", ApiKeys.Scope.READER).key();
        adminKey = service.apiKeys().create("ops", ApiKeys.Scope.ADMIN).key();
        processorLog.start();
        ((Logger) LoggerFactory.getLogger(EventProcessor.class)).addAppender(processorLog);
    }

    @AfterAll
    void stop() {
        ((Logger) LoggerFactory.getLogger(EventProcessor.class)).detachAppender(processorLog);
        if (platform != null) {
            platform.close();
        }
    }

    // --- §1 poison events

    @Test
    void poisonedEventsOfEveryKindBecomeUnprocessableErrorsAndEveryOtherEventIsProcessed() throws SQLException {
        String session = UUID.randomUUID().toString();
        // The poisoned events have a session of their own: the valid events' order is not theirs to decide.
        String poisoned = session + "-poisoned";
        String dbPoison = "db-poison-" + session;
        refuseStatusUpdates(dbPoison, true);
        post(batch(session, 0, 20));

        Map<String, String> poisons = new LinkedHashMap<>();
        poisons.put("depth", "{\"a\":" + "[".repeat(600) + "]".repeat(600) + "}");
        poisons.put("size", "{\"s\":\"" + "x".repeat(100_000) + "\"}");
        poisons.put("not-json", "{not json");
        poisons.put("unpaired-surrogate", "{\"s\":\"\\ud800\"}");
        poisons.put("duplicate-key", "{\"a\":1,\"a\":2}");
        poisons.put("not-an-object", "[1,2]");
        poisons.put("infinite-number", "{\"x\":1e400}");
        for (Map.Entry<String, String> poison : poisons.entrySet()) {
            insertRaw(poison.getKey() + "-" + session, poisoned, "page interaction", "pageview", poison.getValue());
        }
        insertRaw("schema-" + session, poisoned, "poison", "broken schema", "{}");
        insertRaw(dbPoison, poisoned, "page interaction", "pageview", "{\"host\":\"h\",\"path\":\"/\"}");
        post(batch(session, 20, 40));

        JsonArray events = awaitEvents(session, 40);
        assertThat(events.getJsonObject(39).getString("id")).isEqualTo(session + "-39");
        JsonArray errors = await().atMost(Duration.ofSeconds(20))
                .until(() -> query("/events/errors?limit=1000&session_id=" + poisoned, "errors"), e -> e.size() == 9);
        Map<String, String> reasons = new LinkedHashMap<>();
        for (int i = 0; i < errors.size(); i++) {
            JsonObject error = errors.getJsonObject(i);
            assertThat(error.getString("rule")).as(error.encode()).isEqualTo("unprocessable");
            reasons.put(error.getString("id").replace("-" + session, ""), error.getString("reason"));
        }
        assertThat(reasons.get("depth")).contains("InvalidJsonException").contains("nesting depth");
        assertThat(reasons.get("size")).contains("InvalidJsonException").contains("characters");
        assertThat(reasons.get("not-json")).contains("InvalidJsonException");
        assertThat(reasons.get("unpaired-surrogate")).contains("surrogate");
        assertThat(reasons.get("duplicate-key")).contains("Duplicate");
        assertThat(reasons.get("not-an-object"))
                .contains("IllegalStateException")
                .contains("not an object");
        assertThat(reasons.get("infinite-number")).contains("range");
        assertThat(reasons.get("schema")).contains("Exception");
        assertThat(reasons.get("db-poison"))
                .containsPattern("^[a-z.]+\\.\\w*Exception: ")
                .contains("refused by test trigger");
        assertThat(query("/events/errors?session_id=" + session, "errors")).isEmpty();
        assertThat(pendingCount(session) + pendingCount(poisoned)).isZero();
    }

    @Test
    void anEventWhoseRowRefusesEveryWriteStaysPendingWhileTheOthersAreProcessedAndTheLagShows() throws SQLException {
        String session = UUID.randomUUID().toString();
        String stuck = "stuck-" + session;
        refuseStatusUpdates(stuck, false);
        insertRaw(stuck, session + "-stuck", "page interaction", "pageview", "{\"host\":\"h\",\"path\":\"/\"}");
        post(batch(session, 0, 10));

        awaitEvents(session, 10);
        assertThat(pendingCount(session + "-stuck")).isEqualTo(1);

        int logged = processorLog.list.size();
        clock.advance(MAX_LAG.plusSeconds(90));
        HttpResponse<String> ready = platform.get("/health/ready");
        platform.get("/health/ready");
        String metrics = platform.get("/metrics").body();

        assertThat(ready.statusCode()).isEqualTo(200);
        JsonObject eye = new JsonObject(ready.body()).getJsonObject("details").getJsonObject("eye");
        assertThat(eye.getString("processing")).isEqualTo("DEGRADED");
        assertThat(eye.getDouble("backlog_age_seconds")).isGreaterThanOrEqualTo(120.0);
        assertThat(eye.getLong("max_lag_seconds")).isEqualTo(30L);
        assertThat(metrics)
                .containsPattern("switchboard_eye_processing_backlog_age_seconds(\\{[^}]*\\})? 1[2-9][0-9]\\.");
        assertThat(processorLog.list.subList(logged, processorLog.list.size()).stream()
                        .filter(e -> e.getFormattedMessage().startsWith("event processing is behind")))
                .hasSize(1);
    }

    @Test
    void theDeepestPayloadIngestionAcceptsIsProcessedAndADeeperOneIsRefused() {
        String session = UUID.randomUUID().toString();
        int accepted = 62; // the body (an object) and data count as levels too
        JsonObject deep = event(session, "2021-01-01T10:00:00Z", "deep-" + session)
                .put(
                        "data",
                        new JsonObject("{\"host\":\"h\",\"path\":\"/\",\"a\":" + "[".repeat(accepted - 1)
                                + "]".repeat(accepted - 1) + "}"));
        JsonObject deeper = event(session, "2021-01-01T10:00:00Z", "deeper-" + session)
                .put("data", new JsonObject("{\"a\":" + "[".repeat(600) + "]".repeat(600) + "}"));

        assertThat(post(deep.encode()).statusCode()).isEqualTo(202);
        assertProblem(post(deeper.encode()), "data");
        assertProblem(post(new JsonArray().add(deep).add(deeper).encode()), "[1].data");
        assertThat(awaitEvents(session, 1).getJsonObject(0).getString("id")).isEqualTo("deep-" + session);
    }

    // --- §2 strict input

    @Test
    void aDateThatDoesNotExistIs400NamingTheTimestamp() {
        assertProblem(post(event("s", "2024-02-30T00:00:00Z", null).encode()), "timestamp");
        assertProblem(post(event("s", "2023-02-29 10:00:00", null).encode()), "timestamp");
    }

    @Test
    void aNumberBeyondTheDoubleRangeIs400NamingTheField() {
        String body = event("s", "2021-01-01T10:00:00Z", null)
                .put("data", new JsonObject())
                .encode()
                .replace("\"data\":{}", "\"data\":{\"x\":1e400}");

        assertProblem(post(body), "data.x");
    }

    @Test
    void anUnpairedSurrogateIs400NamingTheField() {
        String body =
                event("s", "2021-01-01T10:00:00Z", null).put("name", "NAME").encode();

        assertProblem(post(body.replace("NAME", "\\ud800")), "name");
        assertProblem(post(body.replace("\"data\":{", "\"data\":{\"k\\udc00\":1,")), "data");
    }

    @Test
    void duplicateKeysAre400NamingTheField() {
        String body = event("s", "2021-01-01T10:00:00Z", null).encode();

        assertProblem(post(body.replace("{\"session_id\"", "{\"session_id\":\"a\",\"session_id\"")), "session_id");
        assertProblem(post(body.replace("\"data\":{", "\"data\":{\"k\":1,\"k\":2,")), "data.k");
    }

    @Test
    void commentsAre400() {
        String body = event("s", "2021-01-01T10:00:00Z", null).encode();

        assertProblem(post("/* a comment */ " + body), "body");
        assertProblem(post(body.replace("\"data\":{", "\"data\":{ // note\n")), "data");
    }

    @Test
    void dataLargerThanTheLimitIs400NamingTheField() {
        JsonObject big =
                event("s", "2021-01-01T10:00:00Z", null).put("data", new JsonObject().put("s", "x".repeat(70_000)));

        assertProblem(post(big.encode()), "data");
    }

    @Test
    void aFormContentTypeIs415WhateverTheBodySizeAndNoContentTypeIsReadAsJson() {
        String session = UUID.randomUUID().toString();
        String small = event(session, "2021-01-01T10:00:00Z", null).encode();
        JsonArray large = new JsonArray();
        for (int i = 0; i < 40; i++) {
            large.add(event(session, "2021-01-01T10:00:00Z", null));
        }
        String form = "application/x-www-form-urlencoded";

        HttpResponse<String> smallForm = send(small, "Content-Type", form);
        HttpResponse<String> largeForm = send(large.encode(), "Content-Type", form);
        HttpResponse<String> none = send(small);
        HttpResponse<String> withCharset = send(small, "Content-Type", "application/json; charset=utf-8");

        for (HttpResponse<String> response : java.util.List.of(smallForm, largeForm)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(415);
            JsonObject problem = new JsonObject(response.body());
            assertThat(problem.getString("parameter")).isEqualTo("Content-Type");
            assertThat(problem.getString("detail")).contains("Content-Type: application/json");
        }
        assertThat(none.statusCode()).as(none.body()).isEqualTo(202);
        assertThat(withCharset.statusCode()).as(withCharset.body()).isEqualTo(202);
    }

    // --- §3 session order

    @Test
    void eventsOfOneSessionCreatedInOrderAndSentByConcurrentClientsInAnyOrderAreAllValid() throws Exception {
        String session = UUID.randomUUID().toString();
        List<String> batches = new ArrayList<>();
        for (int b = 0; b < 40; b++) {
            JsonArray batch = new JsonArray();
            for (int i = b * 10; i < b * 10 + 10; i++) {
                Instant created = NOW.minusSeconds(3600).plusMillis(10L * i);
                batch.add(event(session, created.toString(), String.format("%s-%03d", session, i)));
            }
            batches.add(batch.encode());
        }
        Collections.shuffle(batches, new Random(15));
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            for (String batch : batches) {
                responses.add(clients.submit(() -> post(batch)));
            }
            for (Future<HttpResponse<String>> response : responses) {
                assertThat(response.get().statusCode()).isEqualTo(202);
            }
        }

        JsonArray events = awaitEvents(session, 400);
        assertThat(query("/events/errors?session_id=" + session, "errors")).isEmpty();
        assertThat(events.stream().map(e -> ((JsonObject) e).getString("id")).toList())
                .isSorted();
    }

    @Test
    void anEventArrivingWithinTheReorderWindowAfterALaterOneIsValidAndOneArrivingLaterIsAnError() {
        String session = UUID.randomUUID().toString();
        Duration window = EyeConfig.DEFAULT_SESSION_REORDER_WINDOW;
        post(event(session, "2021-01-01T10:00:10Z", "later-" + session).encode());
        awaitEvents(session, 1);

        clock.advance(window.minusSeconds(1));
        post(event(session, "2021-01-01T10:00:05Z", "within-" + session).encode());
        awaitEvents(session, 2);
        clock.advance(Duration.ofSeconds(2));
        post(event(session, "2021-01-01T10:00:00Z", "beyond-" + session).encode());

        JsonObject error = await().atMost(Duration.ofSeconds(20))
                .until(() -> query("/events/errors?session_id=" + session, "errors"), e -> e.size() == 1)
                .getJsonObject(0);
        assertThat(error.getString("id")).isEqualTo("beyond-" + session);
        assertThat(error.getString("rule")).isEqualTo("session-order");
        assertThat(error.getString("reason")).contains("received more than PT1M before it");
    }

    // --- §4 key scopes

    @Test
    void anApplicationKeySeesOnlyItsOwnApplicationsEventsAndIs403ForAnother() {
        String session = UUID.randomUUID().toString();
        JsonObject bad = event(session, "2021-01-01T10:00:00Z", null).put("name", "cta click");
        assertThat(send(WEB_KEY, event(session, "2021-01-01T10:00:00Z", null).encode())
                        .statusCode())
                .isEqualTo(202);
        assertThat(send(WEB_KEY, bad.encode()).statusCode()).isEqualTo(202);
        assertThat(send(MOBILE_KEY, event(session, "2021-01-01T10:00:01Z", null).encode())
                        .statusCode())
                .isEqualTo(202);
        assertThat(send(MOBILE_KEY, bad.encode()).statusCode()).isEqualTo(202);
        awaitEvents(session, 2);

        JsonArray webEvents = query(WEB_KEY, "/events?session_id=" + session, "events");
        JsonArray webErrors = query(WEB_KEY, "/events/errors?session_id=" + session, "errors");
        JsonArray webCounts = query(WEB_KEY, "/events/errors/counts?session_id=" + session, "counts");
        HttpResponse<String> other = platform.get("/events?application=mobile", "Authorization", "Bearer " + WEB_KEY);
        HttpResponse<String> otherErrors =
                platform.get("/events/errors/counts?application=mobile", "Authorization", "Bearer " + WEB_KEY);

        assertThat(webEvents).hasSize(1);
        assertThat(webEvents.getJsonObject(0).getString("application")).isEqualTo("web");
        assertThat(webErrors).hasSize(1);
        assertThat(webErrors.getJsonObject(0).getString("application")).isEqualTo("web");
        assertThat(webCounts.getJsonObject(0).getLong("count")).isEqualTo(1L);
        for (HttpResponse<String> response : java.util.List.of(other, otherErrors)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
            assertThat(new JsonObject(response.body()).getString("parameter")).isEqualTo("application");
        }
        assertThat(query(WEB_KEY, "/events?application=web&session_id=" + session, "events"))
                .hasSize(1);
    }

    @Test
    void readerAndAdminKeysReadEveryApplicationAndOnlyTheAdminKeySendsEvents() {
        String session = UUID.randomUUID().toString();
        send(MOBILE_KEY, event(session, "2021-01-01T10:00:00Z", null).encode());

        HttpResponse<String> readerSends =
                send(readerKey, event(session, "2021-01-01T10:00:01Z", null).encode());
        HttpResponse<String> adminSends =
                send(adminKey, event(session, "2021-01-01T10:00:02Z", null).encode());

        assertThat(readerSends.statusCode()).as(readerSends.body()).isEqualTo(403);
        assertThat(new JsonObject(readerSends.body()).getString("parameter")).isEqualTo("Authorization");
        assertThat(adminSends.statusCode()).as(adminSends.body()).isEqualTo(202);
        JsonArray all = awaitEvents(session, 2);
        assertThat(all.stream().map(e -> ((JsonObject) e).getString("application")))
                .containsExactly("mobile", "ops");
        assertThat(query(readerKey, "/events?application=mobile&session_id=" + session, "events"))
                .hasSize(1);
        assertThat(query(adminKey, "/events?application=mobile&session_id=" + session, "events"))
                .hasSize(1);
    }

    @Test
    void theOpenApiDocumentStatesThe403s() {
        JsonObject paths = new JsonObject(platform.get("/openapi").body()).getJsonObject("paths");

        assertThat(paths.getJsonObject("/events")
                        .getJsonObject("get")
                        .getJsonObject("responses")
                        .containsKey("403"))
                .isTrue();
        assertThat(paths.getJsonObject("/events")
                        .getJsonObject("post")
                        .getJsonObject("responses")
                        .containsKey("403"))
                .isTrue();
    }

    // --- helpers

    static JsonObject event(String session, String timestamp, String id) {
        JsonObject event = new JsonObject()
                .put("session_id", session)
                .put("category", "page interaction")
                .put("name", "pageview")
                .put("data", new JsonObject().put("host", "h").put("path", "/"))
                .put("timestamp", timestamp);
        return id == null ? event : event.put("id", id);
    }

    /** Events {@code from} (inclusive) to {@code to} of the session, one second apart. */
    static String batch(String session, int from, int to) {
        JsonArray batch = new JsonArray();
        for (int i = from; i < to; i++) {
            batch.add(event(session, NOW.minusSeconds(3600 - i).toString(), session + "-" + i));
        }
        return batch.encode();
    }

    HttpResponse<String> post(String body) {
        HttpResponse<String> response = send(body, "Content-Type", "application/json");
        return response;
    }

    HttpResponse<String> send(String body, String... headers) {
        return sendAs(KEY, body, headers);
    }

    HttpResponse<String> send(String key, String body) {
        return sendAs(key, body, "Content-Type", "application/json");
    }

    HttpResponse<String> sendAs(String key, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + key;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return platform.send("POST", "/events", body, all);
    }

    /** Reads as the data team: a reader key sees every application. */
    JsonArray query(String pathAndQuery, String field) {
        return query(readerKey, pathAndQuery, field);
    }

    JsonArray query(String key, String pathAndQuery, String field) {
        HttpResponse<String> response = platform.get(pathAndQuery, "Authorization", "Bearer " + key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body()).getJsonArray(field);
    }

    JsonArray awaitEvents(String session, int count) {
        return await().atMost(Duration.ofSeconds(20))
                .until(() -> query("/events?limit=1000&session_id=" + session, "events"), e -> e.size() == count);
    }

    static void assertProblem(HttpResponse<String> response, String parameter) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new JsonObject(response.body()).getString("parameter"))
                .as(response.body())
                .isEqualTo(parameter);
    }

    void insertRaw(String id, String session, String category, String name, String data) throws SQLException {
        String sql = "INSERT INTO eye_events (id, application, session_id, category, name, data, event_timestamp,"
                + " ts_micros, received_micros) VALUES (?, 'issue15', ?, ?, ?, ?, ?, ?, ?)";
        // Earlier than every other event of the session, so that these never decide the session order.
        Instant timestamp = NOW.minusSeconds(7200);
        try (Connection c = service.storage().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            s.setString(2, session);
            s.setString(3, category);
            s.setString(4, name);
            s.setString(5, data);
            s.setString(6, timestamp.toString());
            s.setLong(7, Timestamps.toMicros(timestamp));
            s.setLong(8, Timestamps.toMicros(clock.instant()));
            s.executeUpdate();
        }
    }

    long pendingCount(String session) throws SQLException {
        try (Connection c = service.storage().dataSource().getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT COUNT(*) FROM eye_events WHERE status = 0 AND session_id = ?")) {
            s.setString(1, session);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A trigger that makes updates of the event {@code id} fail: those to valid only, or all. */
    void refuseStatusUpdates(String id, boolean onlyToValid) throws SQLException {
        String when = "NEW.id = '" + id + "'" + (onlyToValid ? " AND NEW.status = 1" : "");
        String trigger = "refuse_" + Integer.toUnsignedString(id.hashCode());
        try (Connection c = service.storage().dataSource().getConnection();
                Statement s = c.createStatement()) {
            if (service.storage().isSqlite()) {
                s.execute("CREATE TRIGGER " + trigger + " BEFORE UPDATE ON eye_events WHEN " + when
                        + " BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END");
            } else {
                s.execute("CREATE OR REPLACE FUNCTION " + trigger + "() RETURNS trigger AS $$ BEGIN"
                        + " RAISE EXCEPTION 'refused by test trigger'; END $$ LANGUAGE plpgsql");
                s.execute("CREATE TRIGGER " + trigger + " BEFORE UPDATE ON eye_events FOR EACH ROW WHEN (" + when
                        + ") EXECUTE FUNCTION " + trigger + "()");
            }
        }
    }
}
