package io.switchboard.eye.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.eye.EyeConfig;
import io.switchboard.eye.EyeService;
import io.switchboard.platform.testing.RunningPlatform;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EyeClientTest {

    static final String KEY = "client-test-key-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    RunningPlatform platform;
    HttpServer stub;

    @AfterEach
    void stop() {
        if (platform != null) {
            platform.close();
        }
        if (stub != null) {
            stub.stop(0);
        }
    }

    @Test
    void everyEventOfSeveralBatchesIsAcknowledgedByARealEye() throws Exception {
        URI eye = startEye();
        List<CompletableFuture<Ack>> acks = new ArrayList<>();
        try (EyeClient client = EyeClient.builder(eye, KEY).batchSize(100).build()) {
            for (int i = 0; i < 250; i++) {
                acks.add(client.send(pageview(UUID.randomUUID().toString())));
            }
            client.flush();
            assertThat(acks).allMatch(CompletableFuture::isDone);
        }
        assertThat(acks).allSatisfy(ack -> assertThat(ack.get().duplicate()).isFalse());
    }

    @Test
    void resendingAnAcknowledgedEventIsReportedAsADuplicate() throws Exception {
        URI eye = startEye();
        Event event = pageview(UUID.randomUUID().toString());
        try (EyeClient client = EyeClient.builder(eye, KEY).build()) {
            Ack first = client.send(event).get(20, TimeUnit.SECONDS);
            Ack again = client.send(event).get(20, TimeUnit.SECONDS);

            assertThat(first).isEqualTo(new Ack(event.id(), false));
            assertThat(again).isEqualTo(new Ack(event.id(), true));
        }
    }

    @Test
    void closeSendsWhatIsStillBuffered() throws Exception {
        URI eye = startEye();
        CompletableFuture<Ack> ack;
        try (EyeClient client =
                EyeClient.builder(eye, KEY).linger(Duration.ofMinutes(5)).build()) {
            ack = client.send(pageview(UUID.randomUUID().toString()));
            assertThat(ack).isNotDone();
        }
        assertThat(ack).isCompleted();
    }

    @Test
    void a503IsRetriedWithTheSameIdsNoSoonerThanRetryAfter() throws Exception {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        List<String> bodies = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        URI uri = startStub(exchange -> {
            arrivals.add(System.nanoTime());
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (calls.getAndIncrement() == 0) {
                exchange.getResponseHeaders().add("Retry-After", "1");
                respond(exchange, 503, "{}");
            } else {
                respond(exchange, 202, "{\"ids\":[],\"duplicate_ids\":[]}");
            }
        });
        try (EyeClient client = EyeClient.builder(uri, KEY)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                .build()) {
            Ack ack = client.send(pageview("s")).get(20, TimeUnit.SECONDS);
            assertThat(ack.duplicate()).isFalse();
        }

        assertThat(arrivals).hasSize(2);
        assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(ids(bodies.get(1))).isEqualTo(ids(bodies.get(0)));
    }

    @Test
    void aConnectionErrorIsRetriedUntilTheRetriesRunOut() {
        // A port nobody listens on: bind, note the port, close.
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try (EyeClient client = EyeClient.builder(URI.create("http://127.0.0.1:" + port), KEY)
                .maxRetries(2)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .build()) {
            CompletableFuture<Ack> ack = client.send(pageview("s"));
            assertThatThrownBy(() -> ack.get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(EyeClientException.class)
                    .hasMessageContaining("after 3 attempts");
        }
    }

    @Test
    void aBatchIsNotRetriedPastGiveUpAfter() {
        AtomicInteger calls = new AtomicInteger();
        URI uri = startStub(exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Retry-After", "1");
            respond(exchange, 503, "{}");
        });
        long start = System.nanoTime();
        try (EyeClient client = EyeClient.builder(uri, KEY)
                .maxRetries(100)
                .giveUpAfter(Duration.ofMillis(1500))
                .build()) {
            CompletableFuture<Ack> ack = client.send(pageview("s"));
            assertThatThrownBy(() -> ack.get(20, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(EyeClientException.class)
                    .hasMessageContaining("gave up after PT1.5S and 2 attempts");
        }
        // Attempts at 0 s and after Retry-After (1 s); the next one would start past 1.5 s.
        assertThat(calls).hasValue(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aRefusedBatchFailsAtOnceWithoutRetry() {
        AtomicInteger calls = new AtomicInteger();
        URI uri = startStub(exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            respond(exchange, 400, "{\"parameter\":\"timestamp\"}");
        });
        try (EyeClient client = EyeClient.builder(uri, KEY).build()) {
            CompletableFuture<Ack> ack = client.send(pageview("s"));
            assertThatThrownBy(() -> ack.get(20, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(
                            EyeClientException.class,
                            e -> assertThat(e.status()).isEqualTo(400));
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void builderRejectsNonsenseWithTheSettingsName() {
        assertThatThrownBy(() -> EyeClient.builder(URI.create("http://x"), KEY).batchSize(0))
                .hasMessageContaining("batchSize");
    }

    // --- helpers

    URI startEye() {
        EyeService service = new EyeService(EyeConfig.embedded(dir, Map.of("client", KEY)));
        platform = RunningPlatform.start(service);
        return URI.create("http://127.0.0.1:" + platform.port());
    }

    interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    URI startStub(Handler handler) {
        try {
            stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        stub.createContext("/events", exchange -> {
            try (exchange) {
                handler.handle(exchange);
            }
        });
        stub.start();
        return URI.create("http://127.0.0.1:" + stub.getAddress().getPort());
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static List<String> ids(String body) throws IOException {
        List<String> ids = new ArrayList<>();
        for (JsonNode event : JSON.readTree(body)) {
            ids.add(event.get("id").asText());
        }
        return ids;
    }

    static Event pageview(String session) {
        return Event.of(
                session,
                "page interaction",
                "pageview",
                Map.of("host", "example.com", "path", "/"),
                "2021-01-01 09:15:27.243860");
    }
}
