package io.switchboard.eye;

import java.nio.file.Path;

/** Issue 15 on the embedded SQLite database. */
class SqliteIssue15Test extends Issue15Contract {

    @Override
    EyeConfig config(Path dir) {
        return TestDatabases.sqlite(dir, KEYS);
    }
}
