package io.switchboard.relay;

import io.switchboard.relay.internal.TrustedProxies;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How the relay reaches its one backend and how it caches.
 *
 * @param backend base URL every relayed path is appended to, e.g. {@code https://menu.example/api};
 *     port 0 means "this server itself, at the address the client reached" (serve's built-in mock backend)
 * @param connectTimeout limit on opening a TCP connection to the backend (504 beyond it)
 * @param responseTimeout limit on waiting for the backend's next bytes, headers included (504)
 * @param maxConnections pooled keep-alive connections to the backend
 * @param maxBackendRequests backend requests in flight beyond which the relay answers 503 at once
 * @param cache {@code memory} (Caffeine), {@code none}, or a {@code redis://} URL shared by instances
 * @param cacheBytes bytes the in-process cache may hold (bodies plus headers)
 * @param maxEntryBytes largest response body that is cached; larger ones are streamed, not stored
 * @param defaultTtl freshness given to cacheable responses without freshness information; zero
 *     (the default) keeps the relay RFC 9111-correct by not caching them at all
 * @param maxStale how long past its freshness a stored response may still be served when the
 *     backend fails or rate-limits, unless the response itself allows longer ({@code
 *     stale-if-error}) or forbids it ({@code must-revalidate})
 * @param trustedProxies IP addresses and CIDR ranges of proxies in front of the relay whose {@code
 *     X-Forwarded-*} and {@code Forwarded} headers are kept and appended to; from any other peer
 *     they are replaced by what the relay saw itself
 */
public record RelayConfig(
        URI backend,
        Duration connectTimeout,
        Duration responseTimeout,
        int maxConnections,
        int maxBackendRequests,
        String cache,
        long cacheBytes,
        long maxEntryBytes,
        Duration defaultTtl,
        Duration maxStale,
        List<String> trustedProxies) {

    /** Trusted by default: proxies on this host (a local nginx or load balancer in front). */
    public static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1");

    public RelayConfig {
        if (backend == null
                || !backend.isAbsolute()
                || !("http".equals(backend.getScheme()) || "https".equals(backend.getScheme()))
                || backend.getHost() == null) {
            throw new IllegalArgumentException("relay backend must be an absolute http(s) URL, was '" + backend + "'");
        }
        if (backend.getRawQuery() != null || backend.getRawFragment() != null) {
            throw new IllegalArgumentException(
                    "relay backend must not carry a query or fragment, was '" + backend + "'");
        }
        requirePositive("relay connect timeout", connectTimeout);
        requirePositive("relay response timeout", responseTimeout);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("relay max connections must be at least 1, was " + maxConnections);
        }
        if (maxBackendRequests < 1) {
            throw new IllegalArgumentException(
                    "relay max backend requests must be at least 1, was " + maxBackendRequests);
        }
        if (cache == null
                || !(cache.equals("memory")
                        || cache.equals("none")
                        || cache.startsWith("redis://")
                        || cache.startsWith("rediss://"))) {
            throw new IllegalArgumentException(
                    "relay cache must be 'memory', 'none' or a redis:// URL, was '" + cache + "'");
        }
        if (cacheBytes < 1) {
            throw new IllegalArgumentException("relay cache bytes must be at least 1, was " + cacheBytes);
        }
        if (maxEntryBytes < 1) {
            throw new IllegalArgumentException("relay max entry bytes must be at least 1, was " + maxEntryBytes);
        }
        if (defaultTtl == null || defaultTtl.isNegative()) {
            throw new IllegalArgumentException("relay default TTL must be zero (off) or positive, was " + defaultTtl);
        }
        if (maxStale == null || maxStale.isNegative()) {
            throw new IllegalArgumentException("relay max stale must be zero or positive, was " + maxStale);
        }
        trustedProxies = List.copyOf(trustedProxies == null ? List.of() : trustedProxies);
        TrustedProxies.parse(trustedProxies);
    }

    /** Defaults for {@code backend}: in-memory cache, default TTL off, one hour of stale-on-error. */
    public static RelayConfig defaults(URI backend) {
        return new RelayConfig(
                backend,
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                64,
                256,
                "memory",
                64L << 20,
                1L << 20,
                Duration.ZERO,
                Duration.ofHours(1),
                LOOPBACK);
    }

    public RelayConfig withCache(String newCache) {
        Copy copy = new Copy(this);
        copy.cache = newCache;
        return copy.build();
    }

    public RelayConfig withDefaultTtl(Duration ttl) {
        Copy copy = new Copy(this);
        copy.defaultTtl = ttl;
        return copy.build();
    }

    public RelayConfig withResponseTimeout(Duration timeout) {
        Copy copy = new Copy(this);
        copy.responseTimeout = timeout;
        return copy.build();
    }

    public RelayConfig withMaxBackendRequests(int limit) {
        Copy copy = new Copy(this);
        copy.maxBackendRequests = limit;
        return copy.build();
    }

    public RelayConfig withMaxStale(Duration stale) {
        Copy copy = new Copy(this);
        copy.maxStale = stale;
        return copy.build();
    }

    public RelayConfig withMaxEntryBytes(long bytes) {
        Copy copy = new Copy(this);
        copy.maxEntryBytes = bytes;
        return copy.build();
    }

    public RelayConfig withTrustedProxies(List<String> proxies) {
        Copy copy = new Copy(this);
        copy.trustedProxies = proxies;
        return copy.build();
    }

    /** The backend's path prefix without a trailing slash ({@code ""} for none). */
    public String basePath() {
        String path = backend.getRawPath() == null ? "" : backend.getRawPath();
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** The fields of a config being copied with changes: one place that lists them all. */
    private static final class Copy {
        URI backend;
        Duration connectTimeout;
        Duration responseTimeout;
        int maxConnections;
        int maxBackendRequests;
        String cache;
        long cacheBytes;
        long maxEntryBytes;
        Duration defaultTtl;
        Duration maxStale;
        List<String> trustedProxies;

        Copy(RelayConfig from) {
            backend = from.backend;
            connectTimeout = from.connectTimeout;
            responseTimeout = from.responseTimeout;
            maxConnections = from.maxConnections;
            maxBackendRequests = from.maxBackendRequests;
            cache = from.cache;
            cacheBytes = from.cacheBytes;
            maxEntryBytes = from.maxEntryBytes;
            defaultTtl = from.defaultTtl;
            maxStale = from.maxStale;
            trustedProxies = from.trustedProxies;
        }

        RelayConfig build() {
            return new RelayConfig(
                    backend,
                    connectTimeout,
                    responseTimeout,
                    maxConnections,
                    maxBackendRequests,
                    cache,
                    cacheBytes,
                    maxEntryBytes,
                    defaultTtl,
                    maxStale,
                    trustedProxies);
        }
    }
}
