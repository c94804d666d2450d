package io.switchboard.relay.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The values of {@code RelayConfig} that the relay's machinery reads, handed down by {@code
 * RelayService}. A record of its own rather than the config itself: the API package builds this
 * one, so this package does not read the API package back (which would make the two one package).
 * The config has validated every value already.
 *
 * @param backend the backend's absolute URL
 * @param basePath the backend's path prefix without a trailing slash ({@code ""} for none)
 * @param connectTimeout how long to wait for a connection to the backend
 * @param responseTimeout how long to wait for the backend's answer
 * @param maxBackendRequests requests to the backend in flight at most
 * @param maxEntryBytes the largest body that is cached
 * @param defaultTtl freshness given to cacheable answers without freshness information
 * @param maxStale how long past freshness an entry may still be served when the backend fails
 * @param trustedProxies CIDR ranges whose {@code Forwarded} headers are believed
 */
public record RelaySettings(
        URI backend,
        String basePath,
        Duration connectTimeout,
        Duration responseTimeout,
        int maxBackendRequests,
        long maxEntryBytes,
        Duration defaultTtl,
        Duration maxStale,
        List<String> trustedProxies) {}
