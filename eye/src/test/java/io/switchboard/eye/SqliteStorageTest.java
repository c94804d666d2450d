package io.switchboard.eye;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.eye.ingest.GroupCommitWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Writer and processor on the embedded SQLite database. */
class SqliteStorageTest extends StorageContract {

    @Override
    EyeConfig config(Path dir) {
        return TestDatabases.sqlite(dir, Map.of());
    }

    @Test
    void ingestWriterWaitsWithItsShortWaitHandlerForAnotherWriteTransactionThenCommits() throws Exception {
        String session = UUID.randomUUID().toString();
        try (GroupCommitWriter writer = new GroupCommitWriter(
                        storage.ingestDataSource(), 1000, 100, n -> {}, new SimpleMeterRegistry());
                Connection other = storage.dataSource().getConnection()) {
            // Another write transaction (the processor's, say) holds SQLite's write lock.
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.executeUpdate("UPDATE eye_events SET status = status WHERE seq = -1");
            }

            CompletableFuture<List<GroupCommitWriter.Ack>> acked = writer.submit(events(session, 2));

            await().atMost(Duration.ofSeconds(20)).until(SqliteStorageTest::aThreadWaitsInTheShortWaitHandler);
            assertThat(acked).isNotDone();

            // Commits without commit()'s next BEGIN IMMEDIATE, which would take the lock again at once.
            other.setAutoCommit(true);
            assertThat(acked.get(20, TimeUnit.SECONDS)).hasSize(2);
        }
        assertThat(count("SELECT COUNT(*) FROM eye_events WHERE session_id = ?", session))
                .isEqualTo(2);
    }

    /** Whether some thread is inside {@link ShortWaitBusyHandler} (SQLite calls it while the lock is taken). */
    private static boolean aThreadWaitsInTheShortWaitHandler() {
        return Thread.getAllStackTraces().values().stream()
                .flatMap(Arrays::stream)
                .anyMatch(frame -> frame.getClassName().equals(ShortWaitBusyHandler.class.getName()));
    }
}
