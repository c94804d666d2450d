package io.switchboard.app.eye;

import io.switchboard.eye.EyeConfig;
import io.switchboard.eye.EyeStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the eye's database is: the same settings as {@code serve}'s, under the same environment
 * names ({@code EYE_DATABASE}, {@code DATA_DIR}).
 */
final class DatabaseOptions {

    @Option(
            names = "--database",
            defaultValue = "",
            description = "JDBC URL of the eye's database; empty means the embedded SQLite file under --data-dir "
                    + "(env EYE_DATABASE; default: embedded).")
    String database;

    @Option(
            names = "--data-dir",
            defaultValue = "./data",
            description = "Data directory of the embedded database (env DATA_DIR, as serve; default ${DEFAULT-VALUE}).")
    Path dataDir;

    /** Opens (and migrates) the database, creating the embedded one if needed; the caller closes it. */
    EyeStorage open() {
        return EyeStorage.open(config(), Clock.systemUTC());
    }

    /**
     * Opens an existing database: a mistyped {@code --data-dir} is an error naming it, not a new,
     * empty database that lists no keys.
     */
    EyeStorage openExisting() {
        EyeConfig config = config();
        if (config.database() == null) {
            Path file = dataDir.resolve("eye.db");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--data-dir: there is no eye database " + file.toAbsolutePath()
                        + "; pass the directory 'serve --data-dir' uses (env DATA_DIR)");
            }
        }
        return EyeStorage.open(config, Clock.systemUTC());
    }

    private EyeConfig config() {
        EyeConfig config = EyeConfig.embedded(dataDir, Map.of());
        if (database != null && !database.isBlank()) {
            config = config.withDatabase(database);
        }
        return config;
    }
}
