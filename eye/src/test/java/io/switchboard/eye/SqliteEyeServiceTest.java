package io.switchboard.eye;

import java.nio.file.Path;

/** The eye's behaviour on the embedded SQLite database. */
class SqliteEyeServiceTest extends EyeServiceContract {

    @Override
    EyeConfig config(Path dir) {
        return TestDatabases.sqlite(dir, KEYS);
    }
}
