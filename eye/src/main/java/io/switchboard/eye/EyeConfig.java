package io.switchboard.eye;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the eye service.
 *
 * @param database JDBC URL of the database ({@code jdbc:postgresql://...}), or null for the
 *     embedded SQLite file {@code eye.db} under {@code dataDir}
 * @param dataDir directory of the embedded database; created on demand
 * @param bootstrapKeys API keys (application → key) ensured at start, e.g. from {@code EYE_API_KEYS}
 * @param schemaDir directory of JSON Schema files that add to or replace the bundled ones, or null
 * @param maxBatch most events one {@code POST /events} may carry
 * @param maxQueuedEvents events waiting for the writer beyond which ingestion answers 503
 * @param maxEventsPerCommit most events the writer commits in one transaction
 * @param futureSkew how far in the future an event's timestamp may be before it is invalid
 * @param poolSize database connections (writer, processor and queries share them; on SQLite the
 *     writer has one more of its own)
 * @param maxProcessingLag age of the oldest event waiting for validation beyond which {@code
 *     /health/ready} reports processing as degraded (and a warning is logged once)
 * @param sessionReorderWindow how much later than an event of the same session with a later
 *     timestamp an event may arrive and still be valid (the {@code session-order} rule)
 */
public record EyeConfig(
        @Nullable String database,
        Path dataDir,
        Map<String, String> bootstrapKeys,
        @Nullable Path schemaDir,
        int maxBatch,
        int maxQueuedEvents,
        int maxEventsPerCommit,
        Duration futureSkew,
        int poolSize,
        Duration maxProcessingLag,
        Duration sessionReorderWindow) {

    /** Default of {@code --eye-max-processing-lag}: the processor normally trails by well under a second. */
    public static final Duration DEFAULT_MAX_PROCESSING_LAG = Duration.ofMinutes(1);

    /**
     * Default of {@code --eye-session-reorder-window}: longer than a client's batching, concurrency
     * and a few retries, short enough that an event arriving minutes late is still flagged.
     */
    public static final Duration DEFAULT_SESSION_REORDER_WINDOW = Duration.ofMinutes(1);

    public EyeConfig {
        bootstrapKeys = Map.copyOf(bootstrapKeys);
        if (database == null && dataDir == null) {
            throw new IllegalArgumentException("eye needs a database URL or a data directory");
        }
        if (database != null && !database.startsWith("jdbc:postgresql:") && !database.startsWith("jdbc:sqlite:")) {
            throw new IllegalArgumentException(
                    "--eye-database: expected jdbc:postgresql://... or jdbc:sqlite:..., was " + database);
        }
        requirePositive("--eye-max-batch", maxBatch);
        requirePositive("--eye-max-queued-events", maxQueuedEvents);
        requirePositive("--eye-max-events-per-commit", maxEventsPerCommit);
        requirePositive("--eye-db-pool", poolSize);
        if (maxQueuedEvents < maxBatch) {
            throw new IllegalArgumentException("--eye-max-queued-events (" + maxQueuedEvents
                    + ") must be at least --eye-max-batch (" + maxBatch + ")");
        }
        if (maxProcessingLag.isNegative() || maxProcessingLag.isZero()) {
            throw new IllegalArgumentException("--eye-max-processing-lag must be positive, was " + maxProcessingLag);
        }
        if (sessionReorderWindow.isNegative()) {
            throw new IllegalArgumentException(
                    "--eye-session-reorder-window must not be negative, was " + sessionReorderWindow);
        }
        if (futureSkew.isNegative()) {
            throw new IllegalArgumentException("--eye-future-skew must not be negative, was " + futureSkew);
        }
    }

    /** Embedded SQLite under {@code dataDir} with the defaults. */
    public static EyeConfig embedded(Path dataDir, Map<String, String> keys) {
        return new EyeConfig(
                null,
                dataDir,
                keys,
                null,
                1000,
                100_000,
                10_000,
                Duration.ofMinutes(1),
                8,
                DEFAULT_MAX_PROCESSING_LAG,
                DEFAULT_SESSION_REORDER_WINDOW);
    }

    public EyeConfig withDatabase(String url) {
        return new EyeConfig(
                url,
                dataDir,
                bootstrapKeys,
                schemaDir,
                maxBatch,
                maxQueuedEvents,
                maxEventsPerCommit,
                futureSkew,
                poolSize,
                maxProcessingLag,
                sessionReorderWindow);
    }

    public EyeConfig withSchemaDir(Path dir) {
        return new EyeConfig(
                database,
                dataDir,
                bootstrapKeys,
                dir,
                maxBatch,
                maxQueuedEvents,
                maxEventsPerCommit,
                futureSkew,
                poolSize,
                maxProcessingLag,
                sessionReorderWindow);
    }

    public EyeConfig withQueue(int maxBatchEvents, int queuedEvents) {
        return new EyeConfig(
                database,
                dataDir,
                bootstrapKeys,
                schemaDir,
                maxBatchEvents,
                queuedEvents,
                maxEventsPerCommit,
                futureSkew,
                poolSize,
                maxProcessingLag,
                sessionReorderWindow);
    }

    public EyeConfig withMaxProcessingLag(Duration lag) {
        return new EyeConfig(
                database,
                dataDir,
                bootstrapKeys,
                schemaDir,
                maxBatch,
                maxQueuedEvents,
                maxEventsPerCommit,
                futureSkew,
                poolSize,
                lag,
                sessionReorderWindow);
    }

    /** The JDBC URL actually used: the configured one, or the embedded SQLite file. */
    public String jdbcUrl() {
        if (database != null) {
            return database;
        }
        return "jdbc:sqlite:" + dataDir.resolve("eye.db").toAbsolutePath();
    }

    private static void requirePositive(String option, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + " must be positive, was " + value);
        }
    }
}
