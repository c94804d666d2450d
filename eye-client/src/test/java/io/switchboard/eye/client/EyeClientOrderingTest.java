package io.switchboard.eye.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.eye.EyeConfig;
import io.switchboard.eye.EyeService;
import io.switchboard.platform.testing.RunningPlatform;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session's events, in order when sent, stay in order on the server although the client has
 * several batches on the way. The eye runs with a reorder window of zero, so the server forgives
 * nothing: any batch of a session overtaking an earlier one becomes {@code session-order} errors.
 */
class EyeClientOrderingTest {

    static final String KEY = "client-test-key-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    RunningPlatform platform;

    @AfterEach
    void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void fourHundredOrderedEventsOfOneSessionInBatchesOfFiveMakeNoSessionOrderError() throws Exception {
        URI eye = startEyeWithoutReorderWindow();
        Instant start = Instant.now().minusSeconds(30);
        try (EyeClient client = EyeClient.builder(eye, KEY).batchSize(5).build()) { // maxInFlight 4
            List<CompletableFuture<Ack>> acks = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                acks.add(client.send(event("one-session", start, i)));
            }
            client.flush();
            assertThat(acks).allMatch(ack -> ack.isDone() && !ack.isCompletedExceptionally());
        }

        assertThat(awaitProcessed("one-session", 400)).isEqualTo(new Outcome(400, 0));
    }

    @Test
    void concurrentSendersKeepEachOfTheirSessionsInOrder() throws Exception {
        URI eye = startEyeWithoutReorderWindow();
        Instant start = Instant.now().minusSeconds(30);
        int senders = 4;
        int perSession = 150;
        ExecutorService threads = Executors.newFixedThreadPool(senders);
        CountDownLatch go = new CountDownLatch(1);
        try (EyeClient client = EyeClient.builder(eye, KEY).batchSize(5).build()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < senders; t++) {
                int sender = t;
                done.add(threads.submit(() -> {
                    go.await();
                    // Each sender interleaves two sessions of its own, as a server thread handling two users would.
                    for (int i = 0; i < perSession; i++) {
                        client.send(event("s" + sender + "a", start, i));
                        client.send(event("s" + sender + "b", start, i));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            client.flush();
            assertThat(client.stats().acknowledged()).isEqualTo(2L * senders * perSession);
        } finally {
            threads.shutdownNow();
        }

        for (int t = 0; t < senders; t++) {
            assertThat(awaitProcessed("s" + t + "a", perSession)).isEqualTo(new Outcome(perSession, 0));
            assertThat(awaitProcessed("s" + t + "b", perSession)).isEqualTo(new Outcome(perSession, 0));
        }
    }

    @Test
    void aGzipBatchIsStoredByARealEye() throws Exception {
        URI eye = startEyeWithoutReorderWindow();
        Instant start = Instant.now().minusSeconds(30);
        try (EyeClient client =
                EyeClient.builder(eye, KEY).batchSize(200).gzipAbove(0).build()) {
            for (int i = 0; i < 200; i++) {
                client.send(event("gzipped", start, i));
            }
            client.flush();
            assertThat(client.stats().acknowledged()).isEqualTo(200);
        }
        assertThat(awaitProcessed("gzipped", 200)).isEqualTo(new Outcome(200, 0));
    }

    // --- helpers

    record Outcome(int valid, int errors) {}

    /** Waits until every event of the session was validated, then counts valid and invalid ones. */
    Outcome awaitProcessed(String session, int expected) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> new Outcome(
                                count("/events?limit=1000&session_id=" + session, "events"),
                                count("/events/errors?limit=1000&session_id=" + session, "errors")),
                        outcome -> outcome.valid() + outcome.errors() == expected);
    }

    int count(String pathAndQuery, String field) throws IOException {
        HttpResponse<String> response = platform.get(pathAndQuery, "Authorization", "Bearer " + KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        return body.get(field).size();
    }

    URI startEyeWithoutReorderWindow() {
        EyeConfig defaults = EyeConfig.embedded(dir, Map.of("client", KEY));
        EyeConfig strict = new EyeConfig(
                defaults.database(),
                defaults.dataDir(),
                defaults.bootstrapKeys(),
                defaults.schemaDir(),
                defaults.maxBatch(),
                defaults.maxQueuedEvents(),
                defaults.maxEventsPerCommit(),
                defaults.futureSkew(),
                defaults.poolSize(),
                defaults.maxProcessingLag(),
                Duration.ZERO);
        platform = RunningPlatform.start(new EyeService(strict));
        return URI.create("http://127.0.0.1:" + platform.port());
    }

    static Event event(String session, Instant start, int i) {
        return Event.of(
                session,
                "page interaction",
                "pageview",
                Map.of("host", "example.com", "path", "/" + i),
                start.plusMillis(i).toString());
    }
}
