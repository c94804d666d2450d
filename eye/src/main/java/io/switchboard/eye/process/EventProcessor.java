package io.switchboard.eye.process;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.eye.ingest.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates stored events after they were acknowledged, as the seed asks ("consider not processing
 * events in real time"), and marks each valid (queryable) or invalid (an error, with its rule).
 *
 * <p><b>Rules</b>, in order: {@code schema} — the payload satisfies the JSON Schema of its
 * (category, name) ({@link SchemaCatalog}); {@code future-timestamp} — the timestamp is not later
 * than now plus the allowed skew (now from the injected {@link Clock}); {@code session-order} —
 * the timestamp is not earlier than that of a valid event of the same session received before it
 * (events in a session are ordered by time). The first rule broken is recorded.
 *
 * <p><b>Restartable</b>: the status column is the durable cursor. Each round reads the oldest
 * pending events ({@code status = 0}, by arrival {@code seq}), validates them and writes their
 * statuses in one transaction. A crash before the commit leaves them pending and the next start
 * processes them again (validation is deterministic), so no event is skipped or half-processed.
 *
 * <p><b>Threading</b>: one {@code eye-processor} platform thread does all of it; the writer wakes
 * it after each commit ({@link #wake}) and it also polls, so it catches up after a restart.
 */
public final class EventProcessor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventProcessor.class);

    /** Events validated per transaction. */
    private static final int BATCH = 1000;

    /** Longest sleep when there is nothing to do and no wake-up. */
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);

    /** Wait after a database failure before trying again. */
    private static final Duration FAILURE_BACKOFF = Duration.ofSeconds(1);

    /** Status of an event waiting for the processor. */
    public static final int PENDING = 0;

    /** Status of a valid, queryable event. */
    public static final int VALID = 1;

    /** Status of an event that broke a rule. */
    public static final int INVALID = 2;

    private final DataSource dataSource;
    private final SchemaCatalog schemas;
    private final Clock clock;
    private final Duration futureSkew;
    private final Semaphore wakeups = new Semaphore(0);
    private final AtomicLong backlog = new AtomicLong();
    private final Counter valid;
    private final Counter invalid;
    private volatile boolean closing;
    private Thread thread;

    private record Row(long seq, String sessionId, String category, String name, String data, long timestampMicros) {}

    private record Verdict(long seq, int status, String rule, String reason) {}

    public EventProcessor(
            DataSource dataSource, SchemaCatalog schemas, Clock clock, Duration futureSkew, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.schemas = schemas;
        this.clock = clock;
        this.futureSkew = futureSkew;
        this.valid = Counter.builder("eye.events.valid")
                .description("Events the processor found valid")
                .register(metrics);
        this.invalid = Counter.builder("eye.events.invalid")
                .description("Events the processor found invalid (kept as errors)")
                .register(metrics);
        Gauge.builder("eye.processing.backlog", backlog, AtomicLong::get)
                .description("Stored events waiting for validation")
                .register(metrics);
    }

    /** Counts the pending events left by a previous run and starts the processing thread. */
    public void start() {
        backlog.set(countPending());
        thread = Thread.ofPlatform().name("eye-processor").start(this::run);
    }

    /** Called by the writer after a commit of {@code stored} new events. */
    public void wake(int stored) {
        backlog.addAndGet(stored);
        wakeups.release();
    }

    /** Stored events not validated yet (approximate while events arrive). */
    public long backlog() {
        return backlog.get();
    }

    private void run() {
        while (!closing) {
            try {
                // Drain before reading: a wake-up arriving after this is seen by the read or leaves a permit.
                wakeups.drainPermits();
                int processed = processBatch();
                if (processed < BATCH) {
                    wakeups.tryAcquire(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                log.warn("event processing failed, retrying in {}: {}", FAILURE_BACKOFF, e.toString());
                try {
                    Thread.sleep(FAILURE_BACKOFF);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /**
     * Validates the oldest pending events and writes their statuses in one transaction; returns
     * how many. Reading and validating happen before that transaction, outside any write lock (on
     * SQLite the write lock is the whole database's, and the writer needs it): this is safe because
     * this thread is the only one that changes statuses, so what it read cannot change meanwhile.
     */
    int processBatch() throws SQLException {
        List<Row> rows;
        List<Verdict> verdicts;
        try (Connection connection = dataSource.getConnection()) {
            rows = pending(connection);
            if (rows.isEmpty()) {
                return 0;
            }
            verdicts = judge(connection, rows);
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                store(connection, verdicts);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        long bad = verdicts.stream().filter(v -> v.status() == INVALID).count();
        invalid.increment(bad);
        valid.increment(verdicts.size() - bad);
        backlog.updateAndGet(b -> Math.max(0, b - rows.size()));
        return rows.size();
    }

    private static List<Row> pending(Connection connection) throws SQLException {
        String sql = "SELECT seq, session_id, category, name, data, ts_micros FROM eye_events"
                + " WHERE status = 0 ORDER BY seq LIMIT " + BATCH;
        try (PreparedStatement s = connection.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            List<Row> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new Row(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getLong(6)));
            }
            return rows;
        }
    }

    private List<Verdict> judge(Connection connection, List<Row> rows) throws SQLException {
        long latestAllowed = Timestamps.toMicros(clock.instant().plus(futureSkew));
        // Latest valid timestamp per session, including this batch's verdicts (not yet committed).
        Map<String, Long> sessionLatest = new HashMap<>();
        List<Verdict> verdicts = new ArrayList<>(rows.size());
        try (PreparedStatement latest = connection.prepareStatement(
                "SELECT MAX(ts_micros) FROM eye_events WHERE status = 1 AND session_id = ?")) {
            for (Row row : rows) {
                var schemaViolation = schemas.violation(row.category(), row.name(), row.data());
                if (schemaViolation.isPresent()) {
                    verdicts.add(new Verdict(row.seq(), INVALID, "schema", schemaViolation.get()));
                    continue;
                }
                if (row.timestampMicros() > latestAllowed) {
                    verdicts.add(new Verdict(
                            row.seq(),
                            INVALID,
                            "future-timestamp",
                            "timestamp " + Timestamps.fromMicros(row.timestampMicros()) + " is later than now + "
                                    + futureSkew));
                    continue;
                }
                Long previous = sessionLatest.get(row.sessionId());
                if (previous == null) {
                    latest.setString(1, row.sessionId());
                    try (ResultSet rs = latest.executeQuery()) {
                        long max = rs.next() ? rs.getLong(1) : 0;
                        previous = rs.wasNull() ? Long.MIN_VALUE : max;
                    }
                }
                if (row.timestampMicros() < previous) {
                    verdicts.add(new Verdict(
                            row.seq(),
                            INVALID,
                            "session-order",
                            "timestamp " + Timestamps.fromMicros(row.timestampMicros())
                                    + " is earlier than that of an event of the same session received before it ("
                                    + Timestamps.fromMicros(previous) + ")"));
                    sessionLatest.put(row.sessionId(), previous);
                    continue;
                }
                sessionLatest.put(row.sessionId(), row.timestampMicros());
                verdicts.add(new Verdict(row.seq(), VALID, null, null));
            }
        }
        return verdicts;
    }

    private static void store(Connection connection, List<Verdict> verdicts) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement("UPDATE eye_events SET status = ?, rule = ?, reason = ? WHERE seq = ?")) {
            for (Verdict verdict : verdicts) {
                update.setInt(1, verdict.status());
                update.setString(2, verdict.rule());
                update.setString(3, verdict.reason());
                update.setLong(4, verdict.seq());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private long countPending() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement s = connection.prepareStatement("SELECT COUNT(*) FROM eye_events WHERE status = 0");
                ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count pending events: " + e.getMessage(), e);
        }
    }

    /**
     * Stops after the current batch (without interrupting JDBC work); unprocessed events stay
     * pending for the next start.
     */
    @Override
    public void close() {
        closing = true;
        wakeups.release();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
