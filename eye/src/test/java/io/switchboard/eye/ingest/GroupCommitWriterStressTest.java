package io.switchboard.eye.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.eye.EyeConfig;
import io.switchboard.eye.EyeStorage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A randomized harness for the group-commit writer (issue 14, defect 8): submitters race each other
 * and {@link GroupCommitWriter#close()} in many short rounds. Whatever the interleaving, every
 * future that {@code submit} returned must complete, every acknowledged event must be in the
 * database, and the queued-events count must return to zero. The seed of a failing round is in the
 * assertion message so the round can be replayed.
 */
class GroupCommitWriterStressTest {

    /** Rounds per run: enough to hit the close window many times, short enough for every build. */
    private static final int ROUNDS = 40;

    /** Submitting threads per round: more than the machine's cores, so threads get preempted mid-submit. */
    private static final int SUBMITTERS = 4;

    @TempDir
    static Path dir;

    private static EyeStorage storage;

    @BeforeAll
    static void openDatabase() {
        storage = EyeStorage.open(EyeConfig.embedded(dir, Map.of()), Clock.systemUTC());
    }

    @AfterAll
    static void closeDatabase() {
        storage.close();
    }

    @Test
    void everySubmittedFutureCompletesAndEveryAcknowledgedEventIsStoredWhateverTheCloseTiming() throws Exception {
        long baseSeed = new Random().nextLong();
        for (int round = 0; round < ROUNDS; round++) {
            runRound(baseSeed + round);
        }
    }

    private void runRound(long seed) throws Exception {
        Random random = new Random(seed);
        AtomicInteger stored = new AtomicInteger();
        GroupCommitWriter writer = new GroupCommitWriter(
                storage.dataSource(),
                1 + random.nextInt(200),
                1 + random.nextInt(50),
                stored::addAndGet,
                new SimpleMeterRegistry());
        ConcurrentLinkedQueue<Submitted> submitted = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(SUBMITTERS);
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < SUBMITTERS; t++) {
            long threadSeed = random.nextLong();
            submitters.add(Thread.ofPlatform()
                    .start(() -> submitUntilRefused(writer, new Random(threadSeed), seed, started, submitted)));
        }
        started.await();
        // Let the submitters run for a random while, including not at all, before closing under them.
        int spins = random.nextInt(20_000);
        for (int i = 0; i < spins; i++) {
            Thread.onSpinWait();
        }
        writer.close();
        for (Thread submitter : submitters) {
            submitter.join();
        }

        Set<String> acknowledged = new HashSet<>();
        for (Submitted s : submitted) {
            try {
                s.future().get(10, TimeUnit.SECONDS).forEach(ack -> acknowledged.add(ack.id()));
            } catch (TimeoutException e) {
                throw new AssertionError(
                        "seed " + seed + ": a submitted future never completed (events " + s.ids() + ")", e);
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).as("seed %d", seed).isInstanceOf(RejectedExecutionException.class);
            }
        }
        assertThat(storedIds(acknowledged))
                .as("seed %d: acknowledged events in the database", seed)
                .containsExactlyInAnyOrderElementsOf(acknowledged);
        assertThat(writer.queuedEvents())
                .as("seed %d: events still counted as queued", seed)
                .isZero();
    }

    // Yielding between refused submissions lets the writer drain; correctness does not rest on it.
    @SuppressWarnings("ThreadPriorityCheck")
    private static void submitUntilRefused(
            GroupCommitWriter writer,
            Random random,
            long seed,
            CountDownLatch started,
            ConcurrentLinkedQueue<Submitted> submitted) {
        started.countDown();
        int n = 0;
        while (true) {
            int size = 1 + random.nextInt(5);
            List<IncomingEvent> events = new ArrayList<>(size);
            List<String> ids = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                String id = "s" + seed + "-" + Thread.currentThread().threadId() + "-" + n++;
                ids.add(id);
                events.add(new IncomingEvent(
                        id,
                        "app",
                        "session",
                        "cat",
                        "name",
                        "{}",
                        "2021-01-01 00:00:00",
                        1_609_459_200_000_000L,
                        1_609_459_200_000_000L));
            }
            try {
                submitted.add(new Submitted(ids, writer.submit(events)));
            } catch (RejectedExecutionException full) {
                if (full.getMessage().contains("shutting down")) {
                    return;
                }
                Thread.yield();
            }
        }
    }

    private static Set<String> storedIds(Set<String> ids) throws SQLException {
        Set<String> found = new HashSet<>();
        try (Connection c = storage.dataSource().getConnection();
                PreparedStatement select = c.prepareStatement("SELECT 1 FROM eye_events WHERE id = ?")) {
            for (String id : ids) {
                select.setString(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        found.add(id);
                    }
                }
            }
        }
        return found;
    }

    private record Submitted(List<String> ids, CompletableFuture<List<GroupCommitWriter.Ack>> future) {}
}
