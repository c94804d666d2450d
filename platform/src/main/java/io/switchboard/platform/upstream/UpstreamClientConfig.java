package io.switchboard.platform.upstream;

import java.time.Duration;

/**
 * How a service talks to a backend: pool size, timeouts and whether to keep connections alive.
 *
 * @param maxConnections pooled connections per backend host
 * @param connectTimeout limit on establishing a TCP connection
 * @param idleTimeout how long an unused pooled connection stays open
 * @param maxWaitQueue requests waiting for a pooled connection beyond which new ones fail at once
 */
public record UpstreamClientConfig(
        int maxConnections, Duration connectTimeout, Duration idleTimeout, int maxWaitQueue) {

    public UpstreamClientConfig {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("upstream max connections must be at least 1, was " + maxConnections);
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("upstream connect timeout must be positive");
        }
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("upstream idle timeout must be zero or positive");
        }
        if (maxWaitQueue < -1) {
            throw new IllegalArgumentException("upstream wait queue must be -1 (unbounded) or more");
        }
    }

    /** Sensible defaults for a slow, rate-limited backend on a 2-core machine. */
    public static UpstreamClientConfig defaults() {
        return new UpstreamClientConfig(64, Duration.ofSeconds(2), Duration.ofSeconds(30), 1024);
    }
}
