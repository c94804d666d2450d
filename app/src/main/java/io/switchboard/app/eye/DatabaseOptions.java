package io.switchboard.app.eye;

import io.switchboard.eye.EyeConfig;
import io.switchboard.eye.EyeStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the eye's database is: the same settings as {@code serve}'s, read from EYE_* variables. */
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
            description = "Data directory of the embedded database (env EYE_DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    /** Opens (and migrates) the database; the caller closes it. */
    EyeStorage open() {
        EyeConfig config = EyeConfig.embedded(dataDir, Map.of());
        if (database != null && !database.isBlank()) {
            config = config.withDatabase(database);
        }
        return EyeStorage.open(config, Clock.systemUTC());
    }
}
