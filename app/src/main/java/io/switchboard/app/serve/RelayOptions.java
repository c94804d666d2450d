package io.switchboard.app.serve;

import io.switchboard.app.cli.DurationConverter;
import io.switchboard.mock.menu.MenuMockConfig;
import io.switchboard.mock.menu.MenuMockService;
import io.switchboard.platform.Service;
import io.switchboard.relay.RelayConfig;
import io.switchboard.relay.RelayService;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Options of the caching relay. Without {@code --relay-backend}, {@code serve} also mounts the mock
 * menu backend under {@link #BUILT_IN_MOCK_PREFIX} and relays to it on its own port, so the relay
 * and {@code switchboard lunch} work out of the box; the default TTL is then 5 minutes, since the
 * menu backend sends no freshness information.
 */
public final class RelayOptions implements ServiceOptions {

    /** Where serve mounts the built-in mock menu backend when no backend is configured. */
    public static final String BUILT_IN_MOCK_PREFIX = "/_mock/menu";

    /** Base URL of the built-in mock; port 0 is replaced by the server's actual port. */
    static final URI BUILT_IN_BACKEND = URI.create("http://127.0.0.1:0" + BUILT_IN_MOCK_PREFIX + "/api");

    /** Default TTL used with the built-in mock, whose answers carry no freshness information. */
    private static final Duration BUILT_IN_DEFAULT_TTL = Duration.ofMinutes(5);

    @Option(
            names = "--relay-backend",
            description = "Base URL the relay forwards to, e.g. https://menu.example/api (env RELAY_BACKEND; "
                    + "default: the built-in mock menu backend at " + BUILT_IN_MOCK_PREFIX + "/api on this server).")
    String backend;

    @Option(
            names = "--relay-cache",
            defaultValue = "memory",
            description = "Cache store: memory, none, or a redis:// URL shared by relay instances "
                    + "(env RELAY_CACHE; default ${DEFAULT-VALUE}).")
    String cache;

    @Option(
            names = "--relay-cache-bytes",
            defaultValue = "67108864",
            description = "Bytes the in-process cache may hold (env RELAY_CACHE_BYTES; default ${DEFAULT-VALUE}).")
    long cacheBytes;

    @Option(
            names = "--relay-max-entry-bytes",
            defaultValue = "1048576",
            description = "Largest body that is cached; larger ones are streamed (env RELAY_MAX_ENTRY_BYTES; "
                    + "default ${DEFAULT-VALUE}).")
    long maxEntryBytes;

    @Option(
            names = "--relay-default-ttl",
            converter = DurationConverter.class,
            description = "Freshness for cacheable answers without Cache-Control/Expires; 0 turns it off "
                    + "(env RELAY_DEFAULT_TTL; default: off, or 5m with the built-in mock backend).")
    Duration defaultTtl;

    @Option(
            names = "--relay-max-stale",
            converter = DurationConverter.class,
            defaultValue = "1h",
            description = "How long past freshness a cached answer may be served when the backend fails or "
                    + "rate-limits (env RELAY_MAX_STALE; default ${DEFAULT-VALUE}).")
    Duration maxStale;

    @Option(
            names = "--relay-connect-timeout",
            converter = DurationConverter.class,
            defaultValue = "2s",
            description = "Backend connect timeout, then 504 (env RELAY_CONNECT_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(
            names = "--relay-response-timeout",
            converter = DurationConverter.class,
            defaultValue = "10s",
            description = "Backend response timeout, then 504 (env RELAY_RESPONSE_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration responseTimeout;

    @Option(
            names = "--relay-max-connections",
            defaultValue = "64",
            description = "Pooled keep-alive connections to the backend (env RELAY_MAX_CONNECTIONS; "
                    + "default ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(
            names = "--relay-max-backend-requests",
            defaultValue = "256",
            description = "Backend requests in flight beyond which the relay answers 503 "
                    + "(env RELAY_MAX_BACKEND_REQUESTS; default ${DEFAULT-VALUE}).")
    int maxBackendRequests;

    @Option(
            names = "--relay-trusted-proxies",
            split = ",",
            defaultValue = "127.0.0.0/8,::1",
            description = "IP addresses and CIDR ranges of proxies in front of the relay whose X-Forwarded-* and "
                    + "Forwarded headers are kept; from other peers they are replaced "
                    + "(env RELAY_TRUSTED_PROXIES; default ${DEFAULT-VALUE}).")
    List<String> trustedProxies;

    @Override
    public String serviceName() {
        return RelayService.NAME;
    }

    /** Whether no backend is configured, so serve relays to its built-in mock. */
    public boolean usesBuiltInMock() {
        return backend == null || backend.isBlank();
    }

    @Override
    public Service create(ServeSettings settings) {
        return new RelayService(toConfig());
    }

    /** The mock menu backend, when {@link #usesBuiltInMock()}. */
    @Override
    public Optional<Service> builtInMock() {
        return usesBuiltInMock()
                ? Optional.of(new MenuMockService(MenuMockConfig.defaults(BUILT_IN_MOCK_PREFIX)))
                : Optional.empty();
    }

    RelayConfig toConfig() {
        URI uri;
        if (usesBuiltInMock()) {
            uri = BUILT_IN_BACKEND;
        } else {
            try {
                uri = URI.create(backend.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--relay-backend: not a URL: '" + backend + "'");
            }
        }
        Duration ttl = defaultTtl != null ? defaultTtl : usesBuiltInMock() ? BUILT_IN_DEFAULT_TTL : Duration.ZERO;
        try {
            return new RelayConfig(
                    uri,
                    connectTimeout,
                    responseTimeout,
                    maxConnections,
                    maxBackendRequests,
                    cache,
                    cacheBytes,
                    maxEntryBytes,
                    ttl,
                    maxStale,
                    trustedProxies);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("relay options: " + e.getMessage(), e);
        }
    }
}
