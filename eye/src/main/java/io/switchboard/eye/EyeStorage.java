package io.switchboard.eye;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The eye's database: a HikariCP pool over SQLite (embedded default) or PostgreSQL, migrated by
 * Flyway at open. Both go through the same JDBC code; the only differences are the migration
 * scripts ({@code db/eye/sqlite}, {@code db/eye/postgresql}) and SQLite's connection pragmas.
 *
 * <p>SQLite runs in WAL mode with {@code synchronous=FULL}, so a committed transaction survives
 * a crash of the process and of the machine; group commit amortises the fsync over many events.
 * Flyway 13 supports SQLite in {@code flyway-core} itself, so no hand-written migration runner is
 * needed. Everything here blocks: call it from worker threads or at startup, never the event loop.
 */
public final class EyeStorage implements AutoCloseable {

    /** How long a SQLite connection waits for another writer's lock before failing. */
    private static final int SQLITE_BUSY_TIMEOUT_MS = 30_000;

    private final HikariDataSource dataSource;
    private final boolean sqlite;
    private final ApiKeys apiKeys;

    private EyeStorage(HikariDataSource dataSource, boolean sqlite, Clock clock) {
        this.dataSource = dataSource;
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
            hikari.addDataSourceProperty("journal_mode", "WAL");
            hikari.addDataSourceProperty("synchronous", "FULL");
            hikari.addDataSourceProperty("busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MS));
            // Write transactions take the write lock at BEGIN: a deferred one that read first could
            // not upgrade after another commit (SQLITE_BUSY at once, busy_timeout notwithstanding).
            hikari.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        } else {
            hikari.setJdbcUrl(url);
        }
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            migrate(dataSource, sqlite);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new EyeStorage(dataSource, sqlite, clock);
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
        dataSource.close();
    }
}
