package io.switchboard.eye.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client against a scripted server: retries, Retry-After, 413 splits, a full buffer, flush, options. */
class EyeClientFaultsTest {

    static final String KEY = "client-test-key-0123456789";

    final CountDownLatch release = new CountDownLatch(1);
    StubEye stub;

    @AfterEach
    void stop() {
        release.countDown();
        if (stub != null) {
            stub.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 502, 503, 504})
    void aStatusThatMeansNotNowIsRetriedWithTheSameIds(int status) throws Exception {
        stub = new StubEye((call, request, headers) -> call == 0 ? status : 202);
        List<String> causes = new CopyOnWriteArrayList<>();
        try (EyeClient client = fastRetries()
                .listener(new EyeClient.Listener() {
                    @Override
                    public void retrying(int events, int attempt, Duration delay, String cause) {
                        causes.add(attempt + " " + cause);
                    }
                })
                .build()) {
            Ack ack = client.send(pageview("s")).get(20, TimeUnit.SECONDS);
            assertThat(ack.duplicate()).isFalse();
            assertThat(client.stats().retries()).isEqualTo(1);
        }
        assertThat(stub.received).hasSize(2);
        assertThat(stub.received.get(1).ids()).isEqualTo(stub.received.get(0).ids());
        assertThat(causes).containsExactly("1 HTTP " + status);
    }

    @Test
    void anHttpDateRetryAfterIsHonoured() throws Exception {
        // The client's clock is fixed, so the date asks for exactly 1 s whatever time it is.
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        String inOneSecond =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(1).atOffset(ZoneOffset.UTC));
        stub = new StubEye((call, request, headers) -> {
            if (call == 0) {
                headers.add("Retry-After", inOneSecond);
                return 429;
            }
            return 202;
        });
        try (EyeClient client =
                fastRetries().clock(Clock.fixed(now, ZoneOffset.UTC)).build()) {
            client.send(pageview("s")).get(20, TimeUnit.SECONDS);
        }
        long gap = stub.received.get(1).nanos() - stub.received.get(0).nanos();
        assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void a413SplitsTheBatchSoOnlyTheOversizedEventFails() throws Exception {
        // The stub refuses any batch holding the one big event, as a server with a small body limit would.
        stub = new StubEye((call, request, headers) -> request.json().contains("\"big\"") ? 413 : 202);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            events.add(i == 5 ? event("s", "big", i) : event("s", "pageview", i));
        }
        List<CompletableFuture<Ack>> acks = new ArrayList<>();
        try (EyeClient client =
                fastRetries().batchSize(8).linger(Duration.ofMinutes(1)).build()) {
            events.forEach(e -> acks.add(client.send(e)));
            client.flush();
            assertThat(client.stats().splits()).isEqualTo(3); // 8 -> 4+4, 4 -> 2+2, 2 -> 1+1
        }
        for (int i = 0; i < 8; i++) {
            if (i == 5) {
                assertThat(acks.get(i)).isCompletedExceptionally();
                assertThatThrownBy(acks.get(i)::join)
                        .cause()
                        .isInstanceOfSatisfying(
                                EyeClientException.class,
                                e -> assertThat(e.status()).isEqualTo(413));
            } else {
                assertThat(acks.get(i).join().id()).isEqualTo(events.get(i).id());
            }
        }
        // The accepted halves arrived in the order the events were sent.
        List<String> stored = stub.received.stream()
                .filter(r -> !r.json().contains("\"big\""))
                .flatMap(r -> r.ids().stream())
                .toList();
        assertThat(stored)
                .containsExactlyElementsOf(events.stream()
                        .filter(e -> !e.name().equals("big"))
                        .map(Event::id)
                        .toList());
    }

    @Test
    void aFullBufferDropsNewEventsAndCountsThem() throws Exception {
        stub = new StubEye((call, request, headers) -> {
            release.await(); // holds the first batch, so nothing is settled
            return 202;
        });
        List<Event> heardDropped = new CopyOnWriteArrayList<>();
        try (EyeClient client = fastRetries()
                .batchSize(1)
                .maxInFlight(1)
                .maxBuffered(3, 1 << 20)
                .listener(new EyeClient.Listener() {
                    @Override
                    public void dropped(Event event, EyeClientException reason) {
                        heardDropped.add(event);
                    }
                })
                .build()) {
            List<CompletableFuture<Ack>> acks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                acks.add(client.send(pageview("s")));
            }
            assertThat(acks.subList(3, 5)).allMatch(CompletableFuture::isCompletedExceptionally);
            assertThatThrownBy(acks.get(4)::join).hasMessageContaining("buffer is full (3 events");
            assertThat(acks.subList(0, 3)).noneMatch(CompletableFuture::isDone);
            assertThat(client.stats().dropped()).isEqualTo(2);
            assertThat(client.stats().bufferedEvents()).isEqualTo(3);
            assertThat(heardDropped).hasSize(2);

            release.countDown();
            client.flush();
            assertThat(acks.subList(0, 3)).allMatch(ack -> ack.isDone() && !ack.isCompletedExceptionally());
            assertThat(client.stats().bufferedEvents()).isZero();
        }
    }

    @Test
    void aFullBufferByBytesDropsToo() {
        stub = new StubEye((call, request, headers) -> {
            release.await();
            return 202;
        });
        int oneEvent = json(pageview("s")).length;
        try (EyeClient client = fastRetries()
                .batchSize(1)
                .maxInFlight(1)
                .maxBuffered(100, oneEvent * 2L + 1)
                .build()) {
            client.send(pageview("s"));
            client.send(pageview("s"));
            assertThat(client.send(pageview("s"))).isCompletedExceptionally();
            assertThat(client.stats().bufferedBytes()).isEqualTo(oneEvent * 2L);
            release.countDown();
        }
    }

    @Test
    void aBlockingSendWaitsForRoomAndDropsOnlyAfterItsTimeout() throws Exception {
        stub = new StubEye((call, request, headers) -> {
            release.await();
            return 202;
        });
        try (EyeClient client = fastRetries()
                .batchSize(1)
                .maxInFlight(1)
                .maxBuffered(1, 1 << 20)
                .whenFull(Overflow.BLOCK, Duration.ofMillis(300))
                .build()) {
            client.send(pageview("s"));
            long start = System.nanoTime();
            CompletableFuture<Ack> late = client.send(pageview("s"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
            assertThat(late).isCompletedExceptionally();

            // Room that frees during the wait lets the sender in. Its own thread: the JDK HTTP client
            // completes answers on the common pool, which a blocked sender there would starve.
            CompletableFuture<CompletableFuture<Ack>> waiting = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> waiting.complete(client.send(pageview("s"))));
            release.countDown();
            assertThat(waiting.get(20, TimeUnit.SECONDS).get(20, TimeUnit.SECONDS))
                    .isNotNull();
        }
    }

    @Test
    void flushWithATimeoutSaysWhetherEverythingWasSettled() throws Exception {
        stub = new StubEye((call, request, headers) -> {
            release.await();
            return 202;
        });
        try (EyeClient client = fastRetries().linger(Duration.ofMinutes(1)).build()) {
            CompletableFuture<Ack> ack = client.send(pageview("s"));
            assertThat(client.flush(Duration.ofMillis(200))).isFalse();
            assertThat(ack).isNotDone();
            release.countDown();
            assertThat(client.flush(Duration.ofSeconds(20))).isTrue();
            assertThat(ack).isCompleted();
        }
    }

    @Test
    void sendAfterCloseIsRefusedAndLeavesNothingBehind() throws Exception {
        stub = new StubEye((call, request, headers) -> 202);
        EyeClient client = fastRetries().build();
        client.close();
        assertThatThrownBy(() -> client.send(pageview("s")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(client.stats().bufferedEvents()).isZero();
        assertThat(client.flush(Duration.ZERO)).isTrue();
    }

    @Test
    void largeBatchesAreGzippedAndSmallOnesAreNot() throws Exception {
        stub = new StubEye((call, request, headers) -> 202);
        try (EyeClient client = fastRetries()
                .gzipAbove(2000)
                .batchSize(20)
                .linger(Duration.ofMinutes(1))
                .build()) {
            client.send(pageview("small"));
            client.flush();
            for (int i = 0; i < 20; i++) {
                client.send(pageview("large"));
            }
            client.flush();
        }
        StubEye.Received small = stub.received.get(0);
        StubEye.Received large = stub.received.get(1);
        assertThat(small.headers().getFirst("Content-Encoding")).isNull();
        assertThat(large.headers().getFirst("Content-Encoding")).isEqualTo("gzip");
        assertThat(large.ids()).hasSize(20);
        assertThat(large.rawBody().length).isLessThan(large.json().length() / 2);
    }

    @Test
    void theGivenHttpClientExecutorAndUserAgentAreUsed() throws Exception {
        stub = new StubEye((call, request, headers) -> call == 0 ? 400 : 202);
        AtomicInteger callbacks = new AtomicInteger();
        Executor counting = command -> {
            callbacks.incrementAndGet();
            command.run();
        };
        List<String> outcomes = new CopyOnWriteArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        try (EyeClient client = fastRetries()
                .httpClient(http)
                .executor(counting)
                .userAgent("shop-frontend/2.1")
                .listener(new EyeClient.Listener() {
                    @Override
                    public void acknowledged(List<Ack> acks) {
                        outcomes.add("acknowledged " + acks.size());
                    }

                    @Override
                    public void failed(List<Event> events, EyeClientException error) {
                        outcomes.add("failed " + events.size() + " " + error.status());
                    }
                })
                .build()) {
            CompletableFuture<Ack> refused = client.send(pageview("s"));
            client.flush();
            assertThat(refused).isCompletedExceptionally();
            client.send(pageview("s")).get(20, TimeUnit.SECONDS);
        }
        assertThat(outcomes).containsExactly("failed 1 400", "acknowledged 1");
        assertThat(callbacks).hasValue(2);
        assertThat(stub.received.get(0).headers().getFirst("User-Agent")).isEqualTo("shop-frontend/2.1");
        assertThat(http.isTerminated()).isFalse(); // the caller's client stays the caller's
        http.close();
    }

    @Test
    void builderRejectsNonsenseWithTheSettingsName() {
        EyeClient.Builder builder = EyeClient.builder(URI.create("http://x"), KEY);
        assertThatThrownBy(() -> builder.batchSize(1001)).hasMessage("batchSize must be from 1 to 1000, was 1001");
        assertThatThrownBy(() -> builder.maxBuffered(0, 10)).hasMessageContaining("maxBuffered");
        assertThatThrownBy(() -> builder.whenFull(Overflow.BLOCK, Duration.ZERO))
                .hasMessageContaining("positive timeout");
        assertThatThrownBy(() -> builder.requestTimeout(Duration.ZERO)).hasMessageContaining("requestTimeout");
    }

    @Test
    void anEventLargerThanTheWholeBufferIsRefusedAtSend() {
        stub = new StubEye((call, request, headers) -> 202);
        try (EyeClient client = fastRetries().maxBuffered(10, 50).build()) {
            assertThatThrownBy(() -> client.send(pageview("s")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("more than maxBuffered bytes (50)");
        }
    }

    // --- helpers

    EyeClient.Builder fastRetries() {
        return EyeClient.builder(stub == null ? URI.create("http://127.0.0.1:9") : stub.uri(), KEY)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5));
    }

    static byte[] json(Event event) {
        try {
            return StubEye.JSON.writeValueAsBytes(event.toJson());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Event pageview(String session) {
        return event(session, "pageview", 0);
    }

    static Event event(String session, String name, int i) {
        return Event.of(
                session,
                "page interaction",
                name,
                Map.of("host", "example.com", "path", "/" + i),
                "2021-01-01T09:15:27Z");
    }
}
