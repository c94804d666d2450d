package io.switchboard.platform.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Gates tests that need a real PostgreSQL, Redis or NATS. On a developer machine without them the tests
 * are skipped (and say so); in CI, where {@code SWITCHBOARD_REQUIRE_SERVICES=true}, a missing
 * service fails the test instead, so nothing is silently skipped there.
 */
public final class ExternalServices {

    /** JDBC URL of the PostgreSQL the tests use: local, trust auth, database {@code test}. */
    public static final String POSTGRES_URL =
            System.getenv().getOrDefault("TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    /** Redis the tests use. */
    public static final String REDIS_URL = System.getenv().getOrDefault("TEST_REDIS_URL", "redis://127.0.0.1:6379");

    /** NATS with JetStream the tests use (distribute's shared queue). */
    public static final String NATS_URL = System.getenv().getOrDefault("TEST_NATS_URL", "nats://127.0.0.1:4222");

    private ExternalServices() {}

    public static void requireNats() {
        require("NATS (JetStream)", "127.0.0.1", 4222);
    }

    public static void requirePostgres() {
        require("PostgreSQL", "127.0.0.1", 5432);
    }

    public static void requireRedis() {
        require("Redis", "127.0.0.1", 6379);
    }

    private static void require(String name, String host, int port) {
        boolean reachable = reachable(host, port);
        if (!reachable && Boolean.parseBoolean(System.getenv("SWITCHBOARD_REQUIRE_SERVICES"))) {
            throw new IllegalStateException(name + " is required (SWITCHBOARD_REQUIRE_SERVICES=true) but " + host + ":"
                    + port + " does not answer");
        }
        assumeTrue(reachable, "SKIPPED: " + name + " is not reachable on " + host + ":" + port);
    }

    private static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
