package io.switchboard.eye;

import java.nio.file.Path;

/** Writer and processor on the embedded SQLite database. */
class SqliteStorageTest extends StorageContract {

    @Override
    EyeConfig config(Path dir) {
        return TestDatabases.sqlite(dir, java.util.Map.of());
    }
}
