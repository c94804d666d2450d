package io.switchboard.eye.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores events with group commit: one writer thread drains the queue and commits the events of
 * many requests in one transaction, then completes each request's future. A request is answered
 * only after the transaction holding its events committed, so an acknowledged event is durable;
 * under load the cost of a commit (an fsync) is shared by every request that arrived meanwhile.
 *
 * <p><b>Idempotency</b> is the database's job: {@code id} is UNIQUE and every insert is {@code
 * INSERT ... ON CONFLICT DO NOTHING}, so a retried id (even two concurrent retries in the same
 * group) is stored once and acknowledged as a duplicate; there is no check-then-insert race.
 *
 * <p><b>Back-pressure</b>: events queued or being written are counted; a request that would take
 * the count beyond {@code maxQueuedEvents} is refused at once ({@link RejectedExecutionException},
 * answered 503 + Retry-After), so memory stays bounded when the database falls behind. Refused
 * requests were never acknowledged, so nothing acknowledged is lost.
 *
 * <p><b>Failures</b>: when a group's transaction fails, it is rolled back and each request is
 * retried in a transaction of its own, so one bad request cannot fail its neighbours; requests
 * that still fail complete exceptionally (answered 503) and nothing of theirs was committed.
 *
 * <p><b>Threading</b>: {@link #submit} is called from the event loop and never blocks (it takes a
 * lock only for the instant of a check and an enqueue); all JDBC work runs on the single {@code
 * eye-writer} platform thread. Futures complete on that thread.
 *
 * <p><b>Closing</b>: every future {@link #submit} returned completes, whatever the interleaving
 * with {@link #close}. The closed check and the enqueue of a submit happen under the same lock as
 * close's marking and its end-of-queue marker, so a request is either refused at once or queued
 * ahead of the marker, and the writer drains the queue up to the marker before it stops.
 */
public final class GroupCommitWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** How long {@link #close} waits for the queue to drain. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** Rows per INSERT statement: 9 parameters each stays far below SQLite's and PostgreSQL's limits. */
    private static final int ROWS_PER_STATEMENT = 500;

    private static final String INSERT_HEAD = "INSERT INTO eye_events (id, application, session_id, category, name,"
            + " data, event_timestamp, ts_micros, received_micros) VALUES ";

    private static final String ROW_PLACEHOLDERS = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String INSERT_TAIL = " ON CONFLICT (id) DO NOTHING RETURNING id";

    /** The acknowledgement of one event: its id, and whether it had been stored before. */
    public record Ack(String id, boolean duplicate) {}

    private record Pending(List<IncomingEvent> events, CompletableFuture<List<Ack>> done) {}

    /** Queued by {@link #close} behind every accepted request: the writer stops when it takes it. */
    private static final Pending END = new Pending(List.of(), new CompletableFuture<>());

    private final DataSource dataSource;
    private final int maxQueuedEvents;
    private final int maxEventsPerCommit;
    private final IntConsumer onStored;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedEvents = new AtomicInteger();
    private final Thread thread;
    /** Guards {@link #closing} together with the enqueue of a submit (see Closing above). */
    private final Object submitLock = new Object();

    private volatile boolean closing;

    private final Counter acknowledged;
    private final Counter duplicates;
    private final Counter rejected;
    private final Timer commitTime;
    private final DistributionSummary groupSize;

    /**
     * @param onStored called on the writer thread after each commit with the number of new rows
     */
    public GroupCommitWriter(
            DataSource dataSource,
            int maxQueuedEvents,
            int maxEventsPerCommit,
            IntConsumer onStored,
            MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.maxQueuedEvents = maxQueuedEvents;
        this.maxEventsPerCommit = maxEventsPerCommit;
        this.onStored = onStored;
        this.acknowledged = Counter.builder("eye.events.acknowledged")
                .description("Events acknowledged as durable (202), duplicates included")
                .register(metrics);
        this.duplicates = Counter.builder("eye.events.duplicates")
                .description("Acknowledged events whose id was already stored")
                .register(metrics);
        this.rejected = Counter.builder("eye.events.rejected")
                .description("Events refused with 503 because the writer queue was full")
                .register(metrics);
        this.commitTime = Timer.builder("eye.writer.commit.duration")
                .description("Time to insert and commit one group")
                .publishPercentileHistogram()
                .register(metrics);
        this.groupSize = DistributionSummary.builder("eye.writer.group.events")
                .description("Events per group commit")
                .register(metrics);
        Gauge.builder("eye.writer.queue.events", queuedEvents, AtomicInteger::get)
                .description("Events queued or being written")
                .register(metrics);
        this.thread = Thread.ofPlatform().name("eye-writer").daemon(false).start(this::run);
    }

    /**
     * Queues {@code events} for the next group commit; the future completes once they are durable.
     *
     * @throws RejectedExecutionException when the queue is full or the writer is closing
     */
    public CompletableFuture<List<Ack>> submit(List<IncomingEvent> events) {
        Pending pending = new Pending(List.copyOf(events), new CompletableFuture<>());
        synchronized (submitLock) {
            if (closing) {
                throw new RejectedExecutionException("the event writer is shutting down");
            }
            reserve(pending.events().size());
            queue.add(pending);
        }
        return pending.done();
    }

    /** Counts {@code n} more events as queued, or refuses them when that would pass the limit. */
    private void reserve(int n) {
        int current;
        do {
            current = queuedEvents.get();
            if (current + n > maxQueuedEvents) {
                rejected.increment(n);
                throw new RejectedExecutionException(
                        current + " events are waiting to be written (limit " + maxQueuedEvents + ")");
            }
        } while (!queuedEvents.compareAndSet(current, current + n));
    }

    /** Events queued or being written now. */
    public int queuedEvents() {
        return queuedEvents.get();
    }

    private void run() {
        try {
            writeUntilEnd();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            log.error("the event writer stopped unexpectedly", e);
            throw e;
        } finally {
            failLeftovers();
        }
    }

    // END is a sentinel instance: an equal empty batch is not the end.
    @SuppressWarnings("ReferenceEquality")
    private void writeUntilEnd() throws InterruptedException {
        while (true) {
            Pending first = queue.take();
            if (first == END) {
                return;
            }
            List<Pending> group = new ArrayList<>();
            group.add(first);
            int events = first.events().size();
            boolean end = false;
            Pending next;
            while (events < maxEventsPerCommit && (next = queue.poll()) != null) {
                if (next == END) {
                    end = true;
                    break;
                }
                group.add(next);
                events += next.events().size();
            }
            writeGroup(group, events);
            if (end) {
                return;
            }
        }
    }

    /**
     * Fails whatever is still queued when the writer stops early (interrupted by a close that timed
     * out, or an unexpected error): none of it was acknowledged, and no caller may wait forever.
     * Closing first means no submit can queue anything after this drain.
     */
    // END is a sentinel instance: an equal empty batch is not the end.
    @SuppressWarnings("ReferenceEquality")
    private void failLeftovers() {
        synchronized (submitLock) {
            closing = true;
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            if (left != END) {
                queuedEvents.addAndGet(-left.events().size());
                left.done().completeExceptionally(new RejectedExecutionException("the event writer stopped"));
            }
        }
    }

    private void writeGroup(List<Pending> group, int events) {
        long start = System.nanoTime();
        try {
            List<List<Ack>> acks = insert(group);
            commitTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            groupSize.record(events);
            complete(group, acks);
        } catch (SQLException | RuntimeException e) {
            log.warn("group commit of {} requests failed ({}); retrying them one by one", group.size(), e.toString());
            for (Pending pending : group) {
                try {
                    complete(List.of(pending), insert(List.of(pending)));
                } catch (SQLException | RuntimeException single) {
                    log.error("storing {} events failed: {}", pending.events().size(), single.toString());
                    queuedEvents.addAndGet(-pending.events().size());
                    pending.done().completeExceptionally(single);
                }
            }
        }
    }

    /**
     * Inserts every request's events in one transaction and commits it. Rows go in multi-row
     * statements of up to {@link #ROWS_PER_STATEMENT} ({@code INSERT ... VALUES (..), (..) ON
     * CONFLICT (id) DO NOTHING RETURNING id}, the same SQL on SQLite and PostgreSQL): one round trip
     * per chunk, and the returned ids are exactly the rows stored now, so every other id is a
     * duplicate. An id repeated within the group is new at its first occurrence only.
     */
    private List<List<Ack>> insert(List<Pending> group) throws SQLException {
        List<IncomingEvent> rows = new ArrayList<>();
        group.forEach(pending -> rows.addAll(pending.events()));
        Set<String> stored = new HashSet<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
                    insertChunk(
                            connection, rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT)), stored);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        List<List<Ack>> acks = new ArrayList<>(group.size());
        for (Pending pending : group) {
            List<Ack> ack = new ArrayList<>(pending.events().size());
            for (IncomingEvent e : pending.events()) {
                ack.add(new Ack(e.id(), !stored.remove(e.id())));
            }
            acks.add(ack);
        }
        return acks;
    }

    private static void insertChunk(Connection connection, List<IncomingEvent> rows, Set<String> stored)
            throws SQLException {
        StringBuilder sql = new StringBuilder(INSERT_HEAD);
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(ROW_PLACEHOLDERS);
        }
        sql.append(INSERT_TAIL);
        try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
            int p = 1;
            for (IncomingEvent e : rows) {
                insert.setString(p++, e.id());
                insert.setString(p++, e.application());
                insert.setString(p++, e.sessionId());
                insert.setString(p++, e.category());
                insert.setString(p++, e.name());
                insert.setString(p++, e.data());
                insert.setString(p++, e.timestamp());
                insert.setLong(p++, e.timestampMicros());
                insert.setLong(p++, e.receivedMicros());
            }
            try (ResultSet returned = insert.executeQuery()) {
                while (returned.next()) {
                    stored.add(returned.getString(1));
                }
            }
        }
    }

    private void complete(List<Pending> group, List<List<Ack>> acks) {
        int stored = 0;
        for (int i = 0; i < group.size(); i++) {
            Pending pending = group.get(i);
            List<Ack> ack = acks.get(i);
            long dup = ack.stream().filter(Ack::duplicate).count();
            stored += ack.size() - (int) dup;
            acknowledged.increment(ack.size());
            duplicates.increment((double) dup);
            queuedEvents.addAndGet(-pending.events().size());
            pending.done().complete(ack);
        }
        if (stored > 0) {
            onStored.accept(stored);
        }
    }

    /** Stops taking events, writes everything already queued, then stops the thread. */
    @Override
    public void close() {
        synchronized (submitLock) {
            if (closing) {
                return;
            }
            closing = true;
            queue.add(END);
        }
        try {
            thread.join(CLOSE_TIMEOUT);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
