package io.switchboard.app.serve;

import io.switchboard.app.cli.DurationConverter;
import io.switchboard.eye.EyeConfig;
import io.switchboard.eye.EyeService;
import io.switchboard.platform.Service;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options of the eye service (event collector). */
public final class EyeOptions implements ServiceOptions {

    @Option(
            names = "--eye-database",
            defaultValue = "",
            description = "JDBC URL of the eye's database, e.g. jdbc:postgresql://db:5432/eye?user=eye; empty means "
                    + "the embedded SQLite file eye.db under --data-dir (env EYE_DATABASE; default: embedded).")
    String database;

    @Option(
            names = "--eye-api-keys",
            split = ",",
            description = "API keys ensured at start, as application:key pairs, comma-separated "
                    + "(env EYE_API_KEYS; default: none; manage more with 'switchboard eye keys').")
    List<String> apiKeys;

    @Option(
            names = "--eye-schema-dir",
            description = "Directory of JSON Schema files (with x-eye-category and x-eye-name) that add to or "
                    + "replace the bundled ones (env EYE_SCHEMA_DIR; default: bundled only).")
    Path schemaDir;

    @Option(
            names = "--eye-max-batch",
            defaultValue = "1000",
            description = "Most events in one POST /events (env EYE_MAX_BATCH; default ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(
            names = "--eye-max-queued-events",
            defaultValue = "100000",
            description = "Events waiting for the writer beyond which ingestion answers 503 + Retry-After "
                    + "(env EYE_MAX_QUEUED_EVENTS; default ${DEFAULT-VALUE}).")
    int maxQueuedEvents;

    @Option(
            names = "--eye-max-events-per-commit",
            defaultValue = "10000",
            description = "Most events committed in one group transaction "
                    + "(env EYE_MAX_EVENTS_PER_COMMIT; default ${DEFAULT-VALUE}).")
    int maxEventsPerCommit;

    @Option(
            names = "--eye-future-skew",
            defaultValue = "PT1M",
            converter = DurationConverter.class,
            description = "How far in the future an event's timestamp may be before it is invalid "
                    + "(env EYE_FUTURE_SKEW; default ${DEFAULT-VALUE}).")
    Duration futureSkew;

    @Option(
            names = "--eye-db-pool",
            defaultValue = "8",
            description = "Database connections of the eye (env EYE_DB_POOL; default ${DEFAULT-VALUE}).")
    int poolSize;

    @Option(
            names = "--eye-max-processing-lag",
            defaultValue = "PT1M",
            converter = DurationConverter.class,
            description = "Age of the oldest event waiting for validation beyond which /health/ready reports the "
                    + "eye's processing as DEGRADED (env EYE_MAX_PROCESSING_LAG; default ${DEFAULT-VALUE}).")
    Duration maxProcessingLag;

    @Option(
            names = "--eye-session-reorder-window",
            defaultValue = "PT1M",
            converter = DurationConverter.class,
            description = "An event is a session-order error only if an event of its session with a later timestamp "
                    + "arrived more than this before it (env EYE_SESSION_REORDER_WINDOW; default ${DEFAULT-VALUE}).")
    Duration sessionReorderWindow;

    @Override
    public String serviceName() {
        return EyeService.NAME;
    }

    @Override
    public Service create(ServeSettings settings) {
        return new EyeService(toConfig(settings.dataDir()));
    }

    EyeConfig toConfig(Path dataDir) {
        return new EyeConfig(
                database == null || database.isBlank() ? null : database,
                dataDir,
                parseKeys(apiKeys),
                schemaDir,
                maxBatch,
                maxQueuedEvents,
                maxEventsPerCommit,
                futureSkew,
                poolSize,
                maxProcessingLag,
                sessionReorderWindow);
    }

    /** {@code app:key} pairs → application → key; messages name the option and the entry. */
    static Map<String, String> parseKeys(List<String> entries) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (entries == null) {
            return keys;
        }
        for (String entry : entries) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException(
                        "--eye-api-keys: expected application:key, was '" + entry.replaceAll(":.*", ":***") + "'");
            }
            String application = entry.substring(0, colon).strip();
            if (keys.put(application, entry.substring(colon + 1).strip()) != null) {
                throw new IllegalArgumentException("--eye-api-keys: application '" + application + "' appears twice");
            }
        }
        return keys;
    }
}
