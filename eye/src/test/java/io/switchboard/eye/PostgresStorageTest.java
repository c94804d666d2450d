package io.switchboard.eye;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/** Writer and processor on PostgreSQL, in a schema of its own. */
class PostgresStorageTest extends StorageContract {

    private String schema;

    @Override
    EyeConfig config(Path dir) {
        schema = TestDatabases.freshPostgresSchema();
        return TestDatabases.postgres(dir, schema, java.util.Map.of());
    }

    @AfterAll
    void dropSchema() {
        TestDatabases.dropPostgresSchema(schema);
    }
}
