package io.switchboard.eye.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void idsAreVersion7UuidsCarryingTheMillisecond() {
        UUID id = UUID.fromString(new EventIds(Clock.fixed(NOW, ZoneOffset.UTC)).next());

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void idsFromManyThreadsInTheSameMillisecondNeverRepeat() throws Exception {
        EventIds ids = new EventIds(Clock.fixed(NOW, ZoneOffset.UTC));
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 50_000; i++) {
                        seen.add(ids.next());
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }

        assertThat(seen).hasSize(200_000);
    }
}
