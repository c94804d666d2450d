package io.switchboard.eye;

import io.switchboard.platform.testing.ExternalServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** The two databases every eye test runs against: a fresh SQLite file, or a fresh PostgreSQL schema. */
final class TestDatabases {

    private TestDatabases() {}

    static EyeConfig sqlite(Path dir, Map<String, String> keys) {
        return EyeConfig.embedded(dir, keys);
    }

    /** A new schema in the test PostgreSQL (skips locally, fails in CI, when PostgreSQL is absent). */
    static String freshPostgresSchema() {
        ExternalServices.requirePostgres();
        String schema = "eye_test_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        execute("CREATE SCHEMA " + schema);
        return schema;
    }

    static EyeConfig postgres(Path dir, String schema, Map<String, String> keys) {
        String base = ExternalServices.POSTGRES_URL;
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return EyeConfig.embedded(dir, keys).withDatabase(url);
    }

    static void dropPostgresSchema(String schema) {
        if (schema != null) {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(ExternalServices.POSTGRES_URL);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }
}
