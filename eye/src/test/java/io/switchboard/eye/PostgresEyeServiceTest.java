package io.switchboard.eye;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/** The eye's behaviour on PostgreSQL, in a schema of its own. */
class PostgresEyeServiceTest extends EyeServiceContract {

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
