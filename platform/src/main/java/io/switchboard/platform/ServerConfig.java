package io.switchboard.platform;

import java.time.Duration;

/**
 * Settings of the HTTP server every service shares.
 *
 * @param host interface to bind, {@code 0.0.0.0} for all
 * @param port TCP port; 0 picks a free one (tests)
 * @param eventLoops number of server instances sharing the port, one per event loop
 * @param maxConcurrentRequests requests in flight beyond which the server answers 503 at once
 * @param maxBodyBytes largest request body a service buffers; beyond it 413
 * @param shutdownTimeout how long SIGTERM waits for in-flight requests before closing anyway
 */
public record ServerConfig(
        String host, int port, int eventLoops, int maxConcurrentRequests, long maxBodyBytes, Duration shutdownTimeout) {

    public ServerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException("event loops must be at least 1, was " + eventLoops);
        }
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException(
                    "max concurrent requests must be at least 1, was " + maxConcurrentRequests);
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("max body bytes must be at least 1, was " + maxBodyBytes);
        }
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdown timeout must be zero or positive");
        }
    }

    /** Defaults for a test: any free port on loopback. */
    public static ServerConfig forTests() {
        return new ServerConfig("127.0.0.1", 0, 1, 10_000, 1 << 20, Duration.ofSeconds(5));
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, eventLoops, maxConcurrentRequests, maxBodyBytes, shutdownTimeout);
    }

    public ServerConfig withMaxConcurrentRequests(int limit) {
        return new ServerConfig(host, port, eventLoops, limit, maxBodyBytes, shutdownTimeout);
    }
}
