package io.switchboard.relay;

import io.switchboard.platform.ServerConfig;
import io.switchboard.platform.Service;
import io.switchboard.platform.ServiceContext;
import io.switchboard.platform.openapi.OpenApiFragment;
import io.switchboard.relay.internal.Backend;
import io.switchboard.relay.internal.CacheStore;
import io.switchboard.relay.internal.MemoryCacheStore;
import io.switchboard.relay.internal.RealRelay;
import io.switchboard.relay.internal.RedisCacheStore;
import io.switchboard.relay.internal.Relay;
import io.switchboard.relay.internal.RelayMetrics;
import io.switchboard.relay.internal.RelaySettings;
import io.switchboard.relay.internal.client.BackendClient;
import io.switchboard.relay.internal.client.ClientSettings;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caching API relay: every request no other service owns is relayed to {@code
 * <backend>/<path>?<query>} and the answer copied back, cached per RFC 9111.
 *
 * <p>Flow: {@code client → platform (ids, limits, other services) → relay catch-all ({@link
 * Service#fallback()}) → cache (Caffeine or Redis) → backend}. See {@link RealRelay} for
 * the steps of one request. Everything runs on the event loops; nothing blocks.
 */
public final class RelayService implements Service {

    public static final String NAME = "relay";

    private static final Logger log = LoggerFactory.getLogger(RelayService.class);

    /** How long an unused pooled backend connection stays open. */
    private static final java.time.Duration POOL_IDLE_TIMEOUT = java.time.Duration.ofSeconds(4);

    /** Characters of the random instance id in this relay's {@code Via} pseudonym. */
    private static final int INSTANCE_ID_HEX_DIGITS = 8;

    private final RelayConfig config;
    private final String pseudonym = "switchboard-"
            + HexFormat.of().toHexDigits(new SecureRandom().nextLong()).substring(0, INSTANCE_ID_HEX_DIGITS);
    private Backend backend;
    /** Null when the relay caches nothing ({@code --cache none}). */
    private @Nullable CacheStore store;

    private Relay relay;

    public RelayService(RelayConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void mount(Router router, ServiceContext context) {
        RelayMetrics metrics = new RelayMetrics(context.metrics());
        ClientSettings client = new ClientSettings(
                config.connectTimeout(),
                config.responseTimeout(),
                // Below the 5s keep-alive of common servers (Node, Apache), so that the pool rarely
                // reuses a connection the backend is just closing.
                POOL_IDLE_TIMEOUT,
                config.maxConnections());
        backend = new Backend(
                new BackendClient(context.vertx(), client), settings(), context.clock(), metrics, context.tracing());
        store = createStore(context);
        refuseBackendOnThisServer(context.server());
        relay = new RealRelay(settings(), backend, store, metrics, context.clock(), pseudonym, context.tracing());
        // Port 0 is "this server": its actual port is only known once it listens (serve logs it then).
        Object target = config.backend().getPort() == 0 ? "this server, " + config.basePath() : config.backend();
        log.atInfo()
                .addKeyValue("backend", target)
                .addKeyValue("cache", redacted(config.cache()))
                .addKeyValue("default_ttl", config.defaultTtl())
                .log("relay catch-all mounted towards {}", target);
    }

    /** What the machinery in {@code internal} reads of the config. */
    private RelaySettings settings() {
        return new RelaySettings(
                config.backend(),
                config.basePath(),
                config.connectTimeout(),
                config.responseTimeout(),
                config.maxBackendRequests(),
                config.maxEntryBytes(),
                config.defaultTtl(),
                config.maxStale(),
                config.trustedProxies());
    }

    /**
     * A backend on this very server (same port, a local host) would relay every request to itself
     * until a timeout; refused at start. Port 0 is the built-in mock, whose prefix the mock owns.
     */
    private void refuseBackendOnThisServer(ServerConfig server) {
        int port = config.backend().getPort();
        if (port > 0
                && port == server.port()
                && Backend.isLocalHost(config.backend().getHost())) {
            throw new IllegalArgumentException("relay backend " + config.backend() + " points at this server (port "
                    + server.port() + "); the relay would relay to itself");
        }
    }

    /** The relay takes every request whose path no other service owns; see {@link Service#fallback()}. */
    @Override
    public Handler<RoutingContext> fallback() {
        return relay;
    }

    private @Nullable CacheStore createStore(ServiceContext context) {
        if (config.cache().equals("none")) {
            return null;
        }
        if (config.cache().equals("memory")) {
            return new MemoryCacheStore(config.cacheBytes());
        }
        return new RedisCacheStore(context.vertx(), config.cache(), "switchboard:relay:" + config.backend() + ":");
    }

    /** Hides a password in a redis:// URL. */
    private static String redacted(String cache) {
        return cache.replaceAll("//[^@/]*@", "//***@");
    }

    @Override
    public Future<Void> close() {
        Future<Void> closing = backend == null ? Future.succeededFuture() : backend.close();
        return store == null ? closing : closing.eventually(store::close);
    }

    @Override
    public JsonObject openApi() {
        return OpenApiFragment.load(RelayService.class, "openapi.json");
    }
}
