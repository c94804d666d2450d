package io.switchboard.eye.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, defect 8 (client part): a send racing {@code close} was counted as outstanding before
 * the closed check, leaving a future nobody would complete (and a flush that waited for it
 * forever); and the queue of batches ready to leave grew without bound while the server was slow.
 */
class Issue14Test {

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

    @Test
    void sendsRacingCloseAreRefusedOrSettledBeforeCloseReturns() throws Exception {
        stub = new StubEye((call, request, headers) -> 202);
        EyeClient client = EyeClient.builder(stub.uri(), KEY)
                .batchSize(7)
                .linger(Duration.ofMillis(1))
                .build();
        List<CompletableFuture<Ack>> accepted = new CopyOnWriteArrayList<>();
        CountDownLatch enough = new CountDownLatch(200);
        List<Thread> senders = new CopyOnWriteArrayList<>();
        for (int t = 0; t < 4; t++) {
            senders.add(Thread.ofPlatform().start(() -> {
                while (true) {
                    try {
                        accepted.add(client.send(event()));
                        enough.countDown();
                    } catch (IllegalStateException closed) {
                        return;
                    }
                }
            }));
        }
        assertThat(enough.await(20, TimeUnit.SECONDS)).isTrue();

        CompletableFuture.runAsync(client::close).get(20, TimeUnit.SECONDS);
        for (Thread sender : senders) {
            sender.join(Duration.ofSeconds(20));
        }

        assertThat(accepted).hasSizeGreaterThanOrEqualTo(200);
        assertThat(accepted).allSatisfy(ack -> assertThat(ack).isCompleted());
        assertThat(client.stats().bufferedEvents()).isZero();
        assertThat(client.stats().acknowledged()).isEqualTo(accepted.size());
    }

    @Test
    void aServerThatNeverAnswersCannotGrowTheClientBeyondItsBound() {
        stub = new StubEye((call, request, headers) -> {
            release.await();
            return 202;
        });
        try (EyeClient client = EyeClient.builder(stub.uri(), KEY)
                .batchSize(5)
                .maxBuffered(50, 1 << 20)
                .build()) {
            for (int i = 0; i < 1000; i++) {
                client.send(event());
            }

            assertThat(client.stats().bufferedEvents()).isEqualTo(50);
            assertThat(client.stats().dropped()).isEqualTo(950);
            release.countDown();
        }
    }

    static Event event() {
        return Event.of("s", "page interaction", "pageview", Map.of("path", "/"), "2021-01-01T09:15:27Z");
    }
}
