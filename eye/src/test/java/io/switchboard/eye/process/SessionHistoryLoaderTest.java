package io.switchboard.eye.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.eye.EyeConfig;
import io.switchboard.eye.EyeStorage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many sessions' histories loaded in a few statements answer as the stored valid events do. */
class SessionHistoryLoaderTest {

    private static final long HORIZON = 1_000;

    private EyeStorage storage;
    private int ids;

    @BeforeEach
    void open(@TempDir Path dir) {
        storage = EyeStorage.open(EyeConfig.embedded(dir, Map.of()), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void eachSessionGetsItsLatestBeforeTheHorizonAndItsValidEventsAfterIt() throws SQLException {
        store("a", 500, 70, 1); // before the horizon: summed up
        store("a", 900, 90, 1);
        store("a", 1_500, 40, 1); // after it: listed
        store("a", 1_200, 95, 2); // invalid: never counts
        store("a", 1_300, 99, 0); // pending: never counts
        store("b", 2_000, 10, 1);
        store("other", 1_100, 1_000, 1); // not asked for

        Map<String, SessionHistory> loaded;
        try (Connection c = storage.dataSource().getConnection()) {
            loaded = SessionHistoryLoader.load(c, List.of("a", "b", "new"), HORIZON);
        }

        assertThat(loaded).containsOnlyKeys("a", "b", "new");
        assertThat(loaded.get("a").latestReceivedBy(HORIZON)).isEqualTo(90);
        assertThat(loaded.get("a").latestReceivedBy(1_499)).isEqualTo(90);
        assertThat(loaded.get("a").size()).isEqualTo(1);
        assertThat(loaded.get("b").latestReceivedBy(1_999)).isEqualTo(Long.MIN_VALUE);
        assertThat(loaded.get("b").latestReceivedBy(2_000)).isEqualTo(10);
        assertThat(loaded.get("new").latestReceivedBy(Long.MAX_VALUE)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void moreSessionsThanOneStatementTakesAreLoadedInChunks() throws SQLException {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < SessionHistoryLoader.SESSIONS_PER_STATEMENT * 2 + 7; i++) {
            sessions.add("s" + i);
            store("s" + i, 2_000 + i, i, 1);
        }

        Map<String, SessionHistory> loaded;
        try (Connection c = storage.dataSource().getConnection()) {
            loaded = SessionHistoryLoader.load(c, sessions, HORIZON);
        }

        assertThat(loaded).hasSize(sessions.size());
        for (int i = 0; i < sessions.size(); i++) {
            assertThat(loaded.get("s" + i).latestReceivedBy(Long.MAX_VALUE)).isEqualTo(i);
        }
    }

    private void store(String session, long receivedMicros, long timestampMicros, int status) throws SQLException {
        try (Connection c = storage.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO eye_events (id, application, session_id,"
                        + " category, name, data, event_timestamp, ts_micros, received_micros, status)"
                        + " VALUES (?, 'app', ?, 'c', 'n', '{}', 't', ?, ?, ?)")) {
            s.setString(1, "id-" + ids++);
            s.setString(2, session);
            s.setLong(3, timestampMicros);
            s.setLong(4, receivedMicros);
            s.setInt(5, status);
            s.executeUpdate();
        }
    }
}
