package io.switchboard.eye;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

/**
 * The eye's database: a HikariCP pool over SQLite (embedded default) or PostgreSQL, migrated by
 * Flyway at open. Both go through the same JDBC code; the only differences are the migration
 * scripts ({@code db/eye/sqlite}, {@code db/eye/postgresql}) and SQLite's connection pragmas.
 *
 * <p>SQLite runs in WAL mode with {@code synchronous=FULL}, so a committed transaction survives
 * a crash of the process and of the machine; group commit amortises the fsync over many events.
 * Flyway 13 supports SQLite in {@code flyway-core} itself, so no hand-written migration runner is
 * needed. Everything here blocks: call it from worker threads or at startup, never the event loop.
 *
 * <p><b>The write lock</b>: SQLite has one writer at a time, and the ingest writer and the event
 * processor both write. On SQLite the ingest writer gets a pool of its own ({@link
 * #ingestDataSource}, one connection) whose connection waits for the lock with a {@link
 * ShortWaitBusyHandler} (50 µs doubling to 1 ms): it takes the lock within about a millisecond of
 * its release, where {@code busy_timeout}'s sleeps (1, 2, 5, 10 ... 100 ms) made acknowledgements
 * wait up to tens of milliseconds behind a processor transaction of one. Every other connection
 * keeps {@code busy_timeout}, so under contention the processor sleeps and the writer, whose
 * callers are waiting, goes first. The processor has a pool of its own too ({@link
 * #processorDataSource}), whose commits do not fsync (see {@link #openProcessorPool}), so it holds
 * the lock for less time. PostgreSQL has row locks and one pool serves everything.
 */
public final class EyeStorage implements AutoCloseable {

    /** How long a SQLite connection waits for another writer's lock before failing. */
    private static final int SQLITE_BUSY_TIMEOUT_MS = 30_000;

    /** The ingest writer's first wait for SQLite's write lock; doubled after each miss. */
    private static final Duration INGEST_FIRST_WAIT = Duration.ofNanos(50_000);

    /** The ingest writer's longest wait between two tries for the lock. */
    private static final Duration INGEST_MAX_WAIT = Duration.ofMillis(1);

    private final HikariDataSource dataSource;
    /** The ingest writer's own pool on SQLite; null on PostgreSQL. */
    private final @Nullable HikariDataSource ingestDataSource;

    /** The processor's own pool on SQLite; null on PostgreSQL. */
    private final @Nullable HikariDataSource processorDataSource;

    private final boolean sqlite;
    private final ApiKeys apiKeys;

    private EyeStorage(
            HikariDataSource dataSource,
            @Nullable HikariDataSource ingestDataSource,
            @Nullable HikariDataSource processorDataSource,
            boolean sqlite,
            Clock clock) {
        this.dataSource = dataSource;
        this.ingestDataSource = ingestDataSource;
        this.processorDataSource = processorDataSource;
        this.sqlite = sqlite;
        this.apiKeys = new ApiKeys(dataSource, clock);
    }

    /** Opens the pool and applies pending migrations. */
    public static EyeStorage open(EyeConfig config, Clock clock) {
        String url = config.jdbcUrl();
        boolean sqlite = url.startsWith("jdbc:sqlite:");
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("eye-db");
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setConnectionTimeout(30_000);
        if (sqlite) {
            if (config.database() == null) {
                createDirectories(config.dataDir());
            }
            hikari.setJdbcUrl(url);
            hikari.setDataSourceProperties(sqlitePragmas());
        } else {
            hikari.setJdbcUrl(url);
        }
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            migrate(dataSource, sqlite);
            return new EyeStorage(
                    dataSource,
                    sqlite ? openIngestPool(url) : null,
                    sqlite ? openProcessorPool(url) : null,
                    sqlite,
                    clock);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    private static Properties sqlitePragmas() {
        return sqlitePragmas("FULL");
    }

    private static Properties sqlitePragmas(String synchronous) {
        Properties pragmas = new Properties();
        pragmas.setProperty("journal_mode", "WAL");
        pragmas.setProperty("synchronous", synchronous);
        pragmas.setProperty("busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MS));
        // Write transactions take the write lock at BEGIN: a deferred one that read first could
        // not upgrade after another commit (SQLITE_BUSY at once, busy_timeout notwithstanding).
        pragmas.setProperty("transaction_mode", "IMMEDIATE");
        // Statement journals and RETURNING's results in memory: on disk, every group commit of the
        // writer created, wrote and deleted a temporary file (seven system calls and more writes
        // per commit, measured with perf trace). Nothing durable lives there.
        pragmas.setProperty("temp_store", "MEMORY");
        return pragmas;
    }

    /** The ingest writer's one SQLite connection, with the same pragmas and a short-wait busy handler. */
    private static HikariDataSource openIngestPool(String url) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("eye-ingest-db");
        // One writer thread uses it, and SQLite admits one writer anyway.
        hikari.setMaximumPoolSize(1);
        hikari.setConnectionTimeout(30_000);
        // The writer never checkpoints: a checkpoint copies the WAL into the database file and
        // syncs it, tens of milliseconds that every acknowledgement waiting on that commit would
        // wait too. The processor's connections, which commit after each batch they judge, keep
        // SQLite's automatic checkpoint and do it instead.
        hikari.setConnectionInitSql("PRAGMA wal_autocheckpoint=0");
        hikari.setDataSource(new ShortWaitSqliteDataSource(
                url, sqlitePragmas(), INGEST_FIRST_WAIT, INGEST_MAX_WAIT, Duration.ofMillis(SQLITE_BUSY_TIMEOUT_MS)));
        return new HikariDataSource(hikari);
    }

    /**
     * The processor's one SQLite connection, committing with {@code synchronous=NORMAL}: no fsync
     * of its own. What it writes are verdicts, which it can derive again: a verdict lost in a power
     * failure leaves its event pending, and the next start judges it again. Its commits become
     * durable anyway with the writer's next commit, which syncs the same WAL. The fsync it no
     * longer waits for was time it held SQLite's one write lock while acknowledgements waited for
     * the writer's commit (a writer commit took up to 45 ms at 5,000 single events/s).
     */
    private static HikariDataSource openProcessorPool(String url) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("eye-processor-db");
        // One processor thread, one connection at a time.
        hikari.setMaximumPoolSize(1);
        hikari.setConnectionTimeout(30_000);
        hikari.setJdbcUrl(url);
        hikari.setDataSourceProperties(sqlitePragmas("NORMAL"));
        return new HikariDataSource(hikari);
    }

    private static void migrate(DataSource dataSource, boolean sqlite) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/eye/" + (sqlite ? "sqlite" : "postgresql"))
                .table("eye_schema_history")
                .load()
                .migrate();
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir, e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * The ingest writer's connections: on SQLite a pool of its own whose connection retries the
     * write lock after short waits (see the class comment); on PostgreSQL the shared pool.
     */
    public DataSource ingestDataSource() {
        return ingestDataSource != null ? ingestDataSource : dataSource;
    }

    /** The event processor's connections: on SQLite a pool of its own, on PostgreSQL the shared pool. */
    public DataSource processorDataSource() {
        return processorDataSource != null ? processorDataSource : dataSource;
    }

    /** Whether this is the embedded SQLite database (one writer at a time). */
    public boolean isSqlite() {
        return sqlite;
    }

    /** The applications' API keys. */
    public ApiKeys apiKeys() {
        return apiKeys;
    }

    @Override
    public void close() {
        try {
            if (ingestDataSource != null) {
                ingestDataSource.close();
            }
            if (processorDataSource != null) {
                processorDataSource.close();
            }
        } finally {
            dataSource.close();
        }
    }
}
