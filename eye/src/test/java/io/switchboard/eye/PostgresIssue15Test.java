package io.switchboard.eye;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/** Issue 15 on PostgreSQL, in a schema of its own. */
class PostgresIssue15Test extends Issue15Contract {

    private String schema;

    @Override
    EyeConfig config(Path dir) {
        schema = TestDatabases.freshPostgresSchema();
        return TestDatabases.postgres(dir, schema, KEYS);
    }

    @AfterAll
    void dropSchema() {
        TestDatabases.dropPostgresSchema(schema);
    }
}
