package io.switchboard.eye;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.eye.ingest.GroupCommitWriter;
import io.switchboard.eye.ingest.IncomingEvent;
import io.switchboard.eye.process.EventProcessor;
import io.switchboard.eye.process.SchemaCatalog;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The writer and the processor against a real database (SQLite and PostgreSQL subclasses). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StorageContract {

    static final Instant NOW = Instant.parse("2021-01-01T12:00:00Z");

    EyeStorage storage;

    abstract EyeConfig config(Path dir);

    @BeforeAll
    void open(@TempDir Path dir) {
        storage = EyeStorage.open(config(dir), Clock.fixed(NOW, java.time.ZoneOffset.UTC));
    }

    @AfterAll
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    @Test
    void writerRefusesEventsBeyondItsQueueAndLosesNoneItAccepted() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        String session = UUID.randomUUID().toString();
        try (GroupCommitWriter writer =
                new GroupCommitWriter(gated(storage.dataSource(), gate), 10, 100, n -> {}, new SimpleMeterRegistry())) {
            CompletableFuture<List<GroupCommitWriter.Ack>> first = writer.submit(events(session, 5));
            CompletableFuture<List<GroupCommitWriter.Ack>> second = writer.submit(events(session, 5));

            assertThatThrownBy(() -> writer.submit(events(session, 1)))
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("limit 10");
            assertThat(first).isNotDone();

            gate.countDown();
            assertThat(first.get(20, TimeUnit.SECONDS)).hasSize(5);
            assertThat(second.get(20, TimeUnit.SECONDS)).hasSize(5);
            assertThat(writer.submit(events(session, 1)).get(20, TimeUnit.SECONDS))
                    .hasSize(1);
        }
        assertThat(count("SELECT COUNT(*) FROM eye_events WHERE session_id = ?", session))
                .isEqualTo(11);
    }

    @Test
    void writerAcknowledgesOnlyAfterTheEventsAreCommitted() throws Exception {
        String session = UUID.randomUUID().toString();
        try (GroupCommitWriter writer =
                new GroupCommitWriter(storage.dataSource(), 1000, 100, n -> {}, new SimpleMeterRegistry())) {
            List<GroupCommitWriter.Ack> acks = writer.submit(events(session, 3)).get(20, TimeUnit.SECONDS);

            // Read on another connection: visible there means committed.
            assertThat(count("SELECT COUNT(*) FROM eye_events WHERE session_id = ?", session))
                    .isEqualTo(3);
            assertThat(acks).noneMatch(GroupCommitWriter.Ack::duplicate);
        }
    }

    @Test
    void processorResumesEventsLeftPendingByAPreviousRun() throws Exception {
        String session = UUID.randomUUID().toString();
        try (GroupCommitWriter writer =
                new GroupCommitWriter(storage.dataSource(), 1000, 100, n -> {}, new SimpleMeterRegistry())) {
            writer.submit(events(session, 30)).get(20, TimeUnit.SECONDS);
        }
        assertThat(count("SELECT COUNT(*) FROM eye_events WHERE session_id = ? AND status = 0", session))
                .isEqualTo(30);

        try (EventProcessor processor = new EventProcessor(
                storage.dataSource(),
                SchemaCatalog.load(null),
                Clock.fixed(NOW, java.time.ZoneOffset.UTC),
                Duration.ofMinutes(1),
                Duration.ofMinutes(1),
                Duration.ofMinutes(1),
                new SimpleMeterRegistry())) {
            processor.start();
            assertThat(processor.backlog()).isGreaterThanOrEqualTo(30);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> count("SELECT COUNT(*) FROM eye_events WHERE session_id = ? AND status = 1", session)
                            == 30);
        }
    }

    static List<IncomingEvent> events(String session, int n) {
        List<IncomingEvent> events = new ArrayList<>();
        long micros = NOW.minusSeconds(3600).toEpochMilli() * 1000;
        for (int i = 0; i < n; i++) {
            events.add(new IncomingEvent(
                    UUID.randomUUID().toString(),
                    "test",
                    session,
                    "page interaction",
                    "pageview",
                    "{\"host\":\"h\",\"path\":\"/\"}",
                    "2021-01-01 11:00:00",
                    micros + i,
                    micros));
        }
        return events;
    }

    long count(String sql, String arg) throws SQLException {
        try (Connection c = storage.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A data source whose connections are handed out only once {@code gate} opens. */
    static DataSource gated(DataSource delegate, CountDownLatch gate) {
        return (DataSource) Proxy.newProxyInstance(
                StorageContract.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        gate.await();
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
