package io.switchboard.relay.internal.client;

import java.time.Duration;

/**
 * How the backend client behaves.
 *
 * @param connectTimeout how long to wait for a connection (including a wait for a free one when
 *     {@code maxConnections} are open, and the TLS handshake)
 * @param responseTimeout how long the backend may send nothing while a request is in flight (for
 *     the response head, and between pieces of the body)
 * @param poolIdleTimeout how long an unused keep-alive connection stays open
 * @param maxConnections connections open at most, over all event loops
 */
public record ClientSettings(
        Duration connectTimeout, Duration responseTimeout, Duration poolIdleTimeout, int maxConnections) {

    public ClientSettings {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
    }
}
