package io.switchboard.eye.process;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.eye.ingest.EventJson;
import io.switchboard.eye.ingest.Timestamps;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Validates stored events after they were acknowledged, as the seed asks ("consider not processing
 * events in real time"), and marks each valid (queryable) or invalid (an error, with its rule).
 *
 * <p><b>Rules</b>, in order: {@code schema} — the payload satisfies the JSON Schema of its
 * (category, name) ({@link SchemaCatalog}); {@code future-timestamp} — the timestamp is not later
 * than now plus the allowed skew (now from the injected {@link Clock}); {@code session-order} —
 * the timestamp is not earlier than that of a valid event of the same session received more than
 * the reorder window before it. Order within a session is a property of the data (queries return
 * it by timestamp, then id), not of arrival: batches sent concurrently, or retried, arrive out of
 * order by a few milliseconds to seconds, and that must not make in-order events errors; an event
 * that arrives later than the window after a later one is still flagged. Events are judged in
 * arrival order, so every event received more than the window before this one has been judged
 * already, and verdicts do not depend on how events were grouped into batches. The first rule
 * broken is recorded.
 *
 * <p><b>No event stops processing</b>: an event that cannot be judged for any reason (a payload
 * the reader refuses, a schema that cannot be applied, a bug, a database error on its row) is
 * recorded as an error with rule {@link #UNPROCESSABLE} and the exception in its reason, and the
 * processor moves on; see {@link #processBatch}. A lagging processor shows: the backlog's age is a
 * metric and a readiness detail ({@link #status}), and crossing the allowed lag is logged once.
 *
 * <p><b>Restartable</b>: the status column is the durable cursor. Each round reads the oldest
 * pending events ({@code status = 0}, by arrival {@code seq}), validates them and writes their
 * statuses in one transaction. A crash before the commit leaves them pending and the next start
 * processes them again (validation is deterministic), so no event is skipped or half-processed.
 *
 * <p><b>Threading</b>: one {@code eye-processor} platform thread does all of it; the writer wakes
 * it after each commit ({@link #wake}) and it also polls, so it catches up after a restart. Rounds
 * that find less than a full batch start at most every {@link #MIN_ROUND_INTERVAL}, and sessions'
 * histories are kept between rounds ({@link SessionHistories}): under load, the processor's work
 * competes for the CPU with acknowledgements.
 */
public final class EventProcessor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventProcessor.class);

    /** Events validated per transaction. */
    private static final int BATCH = 1000;

    /**
     * Shortest time between the starts of two rounds that found less than a full batch. Each round
     * ends in a commit (an fsync on SQLite) and the writer wakes the processor after each of its
     * commits, hundreds of times a second under load; gathering the events of a few of them into
     * one round costs this much delay before an event is queryable, and saves most of those commits.
     */
    private static final Duration MIN_ROUND_INTERVAL = Duration.ofMillis(50);

    /** Longest sleep when there is nothing to do and no wake-up. */
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);

    /** Wait after a database failure before trying again. */
    private static final Duration FAILURE_BACKOFF = Duration.ofSeconds(1);

    /** How often events whose status could not be written at all are tried again. */
    private static final Duration RETRY_LEFT_BEHIND = Duration.ofMinutes(1);

    /** Longest reason stored for an unprocessable event. */
    private static final int MAX_REASON = 1000;

    /** How long the processor waits for a database connection before calling it down. */
    private static final int VALIDITY_CHECK_SECONDS = 2;

    /** Marks "no pending event known" in {@link #oldestPendingMicros}. */
    private static final long NONE = Long.MAX_VALUE;

    /** Status of an event waiting for the processor. */
    public static final int PENDING = 0;

    /** Status of a valid, queryable event. */
    public static final int VALID = 1;

    /** Status of an event that broke a rule (or could not be processed at all). */
    public static final int INVALID = 2;

    /** Rule recorded for an event the processor could not handle; the reason names the exception. */
    public static final String UNPROCESSABLE = "unprocessable";

    private final DataSource dataSource;
    private final SchemaCatalog schemas;
    private final Clock clock;
    private final Duration futureSkew;
    private final Duration maxLag;
    private final Duration reorderWindow;
    private final Semaphore wakeups = new Semaphore(0);
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestPendingMicros = new AtomicLong(NONE);
    private final AtomicBoolean lagging = new AtomicBoolean();
    private final Counter valid;
    private final Counter invalid;
    private final Counter unprocessable;
    private volatile boolean closing;
    private @Nullable Thread thread;

    // Processor-thread state.
    /** Highest seq whose status was written; the next round reads after it. */
    private long cursor;
    /** When an event was first left pending because its status could not be written, or 0. */
    private long leftBehindSinceNanos;

    private int consecutiveFailures;

    /** Sessions' valid events of the last reorder window, kept between rounds. */
    private final SessionHistories histories = new SessionHistories();

    private record Row(
            long seq,
            String sessionId,
            String category,
            String name,
            String data,
            long timestampMicros,
            long receivedMicros) {}

    private record Verdict(
            long seq,
            int status,
            @Nullable String rule,
            @Nullable String reason) {

        static Verdict unprocessable(long seq, Throwable cause) {
            String reason = cause.getClass().getName() + ": " + cause.getMessage();
            return new Verdict(
                    seq,
                    INVALID,
                    UNPROCESSABLE,
                    reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
        }
    }

    /**
     * @param maxLag age of the oldest pending event beyond which processing is reported as lagging
     *     (readiness details, one log line)
     * @param reorderWindow how much later than a valid event of its session with a later timestamp
     *     an event may arrive and still be valid
     */
    public EventProcessor(
            DataSource dataSource,
            SchemaCatalog schemas,
            Clock clock,
            Duration futureSkew,
            Duration maxLag,
            Duration reorderWindow,
            MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.schemas = schemas;
        this.clock = clock;
        this.futureSkew = futureSkew;
        this.maxLag = maxLag;
        this.reorderWindow = reorderWindow;
        this.valid = Counter.builder("eye.events.valid")
                .description("Events the processor found valid")
                .register(metrics);
        this.invalid = Counter.builder("eye.events.invalid")
                .description("Events the processor found invalid (kept as errors), unprocessable ones included")
                .register(metrics);
        this.unprocessable = Counter.builder("eye.events.unprocessable")
                .description("Events the processor could not handle (kept as errors with rule unprocessable)")
                .register(metrics);
        Gauge.builder("eye.processing.backlog", backlog, AtomicLong::get)
                .description("Stored events waiting for validation")
                .register(metrics);
        Gauge.builder("eye.processing.backlog.age", this, EventProcessor::backlogAgeSeconds)
                .description("Seconds since the oldest event still waiting for validation was received; 0 when none")
                .baseUnit("seconds")
                .register(metrics);
    }

    /** Counts the pending events left by a previous run and starts the processing thread. */
    public void start() {
        backlog.set(countPending());
        try (Connection connection = dataSource.getConnection()) {
            refreshOldestPending(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the pending events: " + e.getMessage(), e);
        }
        thread = Thread.ofPlatform().name("eye-processor").start(this::run);
    }

    /** Called by the writer after a commit of {@code stored} new events. */
    public void wake(int stored) {
        backlog.addAndGet(stored);
        oldestPendingMicros.compareAndSet(NONE, Timestamps.toMicros(clock.instant()));
        wakeups.release();
    }

    /** Stored events not validated yet (approximate while events arrive). */
    public long backlog() {
        return backlog.get();
    }

    /**
     * Seconds since the oldest event waiting for validation was received (0 when none). It grows
     * while the processor is stuck or behind, even if its thread hangs: it is computed from the
     * clock at each read.
     */
    public double backlogAgeSeconds() {
        long oldest = oldestPendingMicros.get();
        if (oldest == NONE) {
            return 0;
        }
        return Math.max(0, Timestamps.toMicros(clock.instant()) - oldest) / 1e6;
    }

    /**
     * The processing state for readiness details: backlog, its age, and {@code DEGRADED} once the
     * age exceeds the allowed lag. Logs the transition once (not on every check).
     */
    public JsonObject status() {
        double age = backlogAgeSeconds();
        boolean behind = checkLag(age);
        return new JsonObject()
                .put("processing", behind ? "DEGRADED" : "UP")
                .put("backlog", backlog.get())
                .put("backlog_age_seconds", Math.round(age * 10) / 10.0)
                .put("max_lag_seconds", maxLag.toSeconds());
    }

    private boolean checkLag(double ageSeconds) {
        boolean behind = ageSeconds > maxLag.toMillis() / 1000.0;
        if (behind && lagging.compareAndSet(false, true)) {
            log.warn(
                    "event processing is behind: the oldest pending event was received {} s ago (allowed {} s),"
                            + " {} events pending",
                    Math.round(ageSeconds),
                    maxLag.toSeconds(),
                    backlog.get());
        } else if (!behind && lagging.compareAndSet(true, false)) {
            log.info("event processing caught up ({} events pending)", backlog.get());
        }
        return behind;
    }

    private void run() {
        long roundStarted = System.nanoTime() - MIN_ROUND_INTERVAL.toNanos();
        while (!closing) {
            try {
                long untilNextRound = roundStarted + MIN_ROUND_INTERVAL.toNanos() - System.nanoTime();
                if (untilNextRound > 0) {
                    TimeUnit.NANOSECONDS.sleep(untilNextRound);
                }
                roundStarted = System.nanoTime();
                // Drain before reading: a wake-up arriving after this is seen by the read or leaves a permit.
                wakeups.drainPermits();
                int processed = processBatch();
                if (processed >= BATCH) {
                    // Behind: the next round starts at once.
                    roundStarted -= MIN_ROUND_INTERVAL.toNanos();
                }
                if (consecutiveFailures > 0) {
                    log.info("event processing recovered after {} failed attempts", consecutiveFailures);
                    consecutiveFailures = 0;
                }
                checkLag(backlogAgeSeconds());
                if (processed < BATCH) {
                    wakeups.tryAcquire(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                // The database is down or refuses everything: one line when it starts, not one per second.
                if (consecutiveFailures++ == 0) {
                    log.warn(
                            "event processing failed, retrying every {} until it works: {}",
                            FAILURE_BACKOFF,
                            e.toString());
                } else {
                    log.debug("event processing failed again ({} times): {}", consecutiveFailures, e.toString());
                }
                checkLag(backlogAgeSeconds());
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
     * how many were read. Reading and validating happen before that transaction, outside any write
     * lock (on SQLite the write lock is the whole database's, and the writer needs it): this is safe
     * because this thread is the only one that changes statuses, so what it read cannot change.
     *
     * <p>No single event can stop this: an event that fails to validate for any reason (unreadable
     * payload, a schema that cannot be applied, a bug) is recorded as {@link #UNPROCESSABLE}; when
     * the batch's statuses cannot be written, they are written one by one, an event whose status
     * fails is recorded as unprocessable, and one whose row refuses every write is left pending
     * (tried again every {@link #RETRY_LEFT_BEHIND} and at the next start) while the others move on.
     * Only a failure of the database as a whole (no valid connection) fails the round.
     */
    int processBatch() throws SQLException {
        List<Row> rows;
        List<Verdict> verdicts;
        retryLeftBehind();
        List<Verdict> stored;
        boolean historiesHold = false;
        try {
            try (Connection connection = dataSource.getConnection()) {
                rows = pending(connection, cursor);
                if (rows.isEmpty()) {
                    refreshOldestPending(connection);
                    historiesHold = true;
                    return 0;
                }
                verdicts = judge(connection, rows);
            }
            stored = store(verdicts);
            // Written one by one, some verdicts may differ from those the histories were told.
            historiesHold = stored.equals(verdicts);
        } finally {
            if (!historiesHold) {
                histories.forgetAll();
            }
        }
        cursor = rows.getLast().seq();
        long bad = stored.stream().filter(v -> v.status() == INVALID).count();
        invalid.increment((double) bad);
        unprocessable.increment((double)
                stored.stream().filter(v -> UNPROCESSABLE.equals(v.rule())).count());
        valid.increment((double) (stored.size() - bad));
        backlog.updateAndGet(b -> Math.max(0, b - stored.size()));
        try (Connection connection = dataSource.getConnection()) {
            refreshOldestPending(connection);
        }
        return rows.size();
    }

    /** Reads from the start again once events left pending have waited {@link #RETRY_LEFT_BEHIND}, even under load. */
    private void retryLeftBehind() {
        if (leftBehindSinceNanos != 0 && System.nanoTime() - leftBehindSinceNanos > RETRY_LEFT_BEHIND.toNanos()) {
            cursor = 0;
            histories.forgetAll();
            leftBehindSinceNanos = 0;
        }
    }

    private void refreshOldestPending(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                        "SELECT received_micros FROM eye_events WHERE status = 0 ORDER BY seq LIMIT 1");
                ResultSet rs = s.executeQuery()) {
            oldestPendingMicros.set(rs.next() ? rs.getLong(1) : NONE);
        }
    }

    private static List<Row> pending(Connection connection, long after) throws SQLException {
        String sql = "SELECT seq, session_id, category, name, data, ts_micros, received_micros FROM eye_events"
                + " WHERE status = 0 AND seq > ? ORDER BY seq LIMIT " + BATCH;
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setLong(1, after);
            try (ResultSet rs = s.executeQuery()) {
                List<Row> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new Row(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getLong(6),
                            rs.getLong(7)));
                }
                return rows;
            }
        }
    }

    private List<Verdict> judge(Connection connection, List<Row> rows) throws SQLException {
        long latestAllowed = Timestamps.toMicros(clock.instant().plus(futureSkew));
        long window = Timestamps.toMicros(Instant.EPOCH.plus(reorderWindow));
        // Valid events received at or before the horizon are summed up by their latest timestamp; later
        // ones are listed, since whether they count depends on each row's own arrival.
        long horizon = rows.stream().mapToLong(Row::receivedMicros).min().orElseThrow() - window;
        List<Verdict> verdicts = new ArrayList<>(rows.size());
        SessionLookup lookup = new SessionLookup(connection, horizon, window);
        loadHistories(connection, rows, horizon);
        for (Row row : rows) {
            verdicts.add(judgeOrExplain(connection, lookup, latestAllowed, row));
        }
        return verdicts;
    }

    /**
     * Loads, all at once, the histories of the batch's sessions that are not kept. Should that fail
     * while the database works, each is loaded on its own when its first row is judged, where a
     * failure makes only that row unprocessable.
     */
    private void loadHistories(Connection connection, List<Row> rows, long horizon) throws SQLException {
        Set<String> missing = new LinkedHashSet<>();
        for (Row row : rows) {
            if (histories.get(row.sessionId(), horizon) == null) {
                missing.add(row.sessionId());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try {
            SessionHistoryLoader.load(connection, missing, horizon).forEach(histories::put);
        } catch (SQLException e) {
            if (!connection.isValid(VALIDITY_CHECK_SECONDS)) {
                throw e;
            }
            log.warn(
                    "loading {} sessions' histories at once failed, loading them one by one: {}",
                    missing.size(),
                    e.toString());
        }
    }

    /** Where a session's history comes from when the batch's loading left it out, and the batch's bounds. */
    private record SessionLookup(Connection connection, long horizon, long window) {

        SessionHistory load(String sessionId) throws SQLException {
            return Objects.requireNonNull(
                    SessionHistoryLoader.load(connection, List.of(sessionId), horizon)
                            .get(sessionId),
                    "the loader returns a history for every session asked for");
        }
    }

    /** The row's verdict, or {@link #UNPROCESSABLE} when judging it fails while the database works. */
    private Verdict judgeOrExplain(Connection connection, SessionLookup lookup, long latestAllowed, Row row)
            throws SQLException {
        try {
            return judge(lookup, latestAllowed, row);
        } catch (SQLException e) {
            if (!connection.isValid(VALIDITY_CHECK_SECONDS)) {
                throw e;
            }
            return leftAsError(Verdict.unprocessable(row.seq(), e));
        } catch (RuntimeException | StackOverflowError e) {
            return leftAsError(Verdict.unprocessable(row.seq(), e));
        }
    }

    private Verdict judge(SessionLookup lookup, long latestAllowed, Row row) throws SQLException {
        JsonNode data = EventJson.read(row.data());
        if (!data.isObject()) {
            throw new IllegalStateException("the stored data is " + data.getNodeType() + ", not an object");
        }
        var schemaViolation = schemas.violation(row.category(), row.name(), data);
        if (schemaViolation.isPresent()) {
            return new Verdict(row.seq(), INVALID, "schema", schemaViolation.get());
        }
        if (row.timestampMicros() > latestAllowed) {
            return new Verdict(
                    row.seq(),
                    INVALID,
                    "future-timestamp",
                    "timestamp " + Timestamps.fromMicros(row.timestampMicros()) + " is later than now + " + futureSkew);
        }
        SessionHistory history = histories.get(row.sessionId(), lookup.horizon());
        if (history == null) {
            history = lookup.load(row.sessionId());
            histories.put(row.sessionId(), history);
        }
        long previous = history.latestReceivedBy(row.receivedMicros() - lookup.window());
        if (row.timestampMicros() < previous) {
            return new Verdict(
                    row.seq(),
                    INVALID,
                    "session-order",
                    "timestamp " + Timestamps.fromMicros(row.timestampMicros())
                            + " is earlier than that of an event of the same session received more than "
                            + reorderWindow + " before it (" + Timestamps.fromMicros(previous) + ")");
        }
        history.add(row.receivedMicros(), row.timestampMicros());
        return new Verdict(row.seq(), VALID, null, null);
    }

    private static Verdict leftAsError(Verdict verdict) {
        log.warn("event seq {} is unprocessable, recorded as an error: {}", verdict.seq(), verdict.reason());
        return verdict;
    }

    /** Writes the verdicts in one transaction, or one by one when that fails; returns those written. */
    private List<Verdict> store(List<Verdict> verdicts) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                update(connection, verdicts);
                connection.commit();
                return verdicts;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                if (!connection.isValid(VALIDITY_CHECK_SECONDS)) {
                    throw e;
                }
                log.warn("writing {} verdicts failed ({}); writing them one by one", verdicts.size(), e.toString());
            }
        }
        return storeOneByOne(verdicts);
    }

    private List<Verdict> storeOneByOne(List<Verdict> verdicts) throws SQLException {
        List<Verdict> stored = new ArrayList<>(verdicts.size());
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            for (Verdict verdict : verdicts) {
                try {
                    update(connection, List.of(verdict));
                    stored.add(verdict);
                } catch (SQLException | RuntimeException e) {
                    if (!connection.isValid(VALIDITY_CHECK_SECONDS)) {
                        throw e;
                    }
                    Verdict instead = Verdict.unprocessable(verdict.seq(), e);
                    try {
                        update(connection, List.of(instead));
                        stored.add(leftAsError(instead));
                    } catch (SQLException | RuntimeException again) {
                        if (!connection.isValid(VALIDITY_CHECK_SECONDS)) {
                            throw again;
                        }
                        log.error(
                                "event seq {} refuses every status update ({}); it stays pending and is tried again"
                                        + " in {}",
                                verdict.seq(),
                                again.toString(),
                                RETRY_LEFT_BEHIND);
                        if (leftBehindSinceNanos == 0) {
                            leftBehindSinceNanos = System.nanoTime();
                        }
                    }
                }
            }
        }
        return stored;
    }

    private static void update(Connection connection, List<Verdict> verdicts) throws SQLException {
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
