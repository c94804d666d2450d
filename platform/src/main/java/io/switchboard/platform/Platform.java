package io.switchboard.platform;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.platform.dashboard.Dashboard;
import io.switchboard.platform.health.HealthRoutes;
import io.switchboard.platform.limit.ConcurrencyLimit;
import io.switchboard.platform.observability.AccessLog;
import io.switchboard.platform.observability.HttpServerMetrics;
import io.switchboard.platform.observability.RequestIds;
import io.switchboard.platform.openapi.OpenApiDocument;
import io.switchboard.platform.problem.InvalidRequests;
import io.switchboard.platform.problem.ProblemResponses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Switchboard HTTP server: the platform routes plus the mounted services, on one port.
 *
 * <p>The request pipeline, in order: request id → access log → metrics → global concurrency limit
 * → platform routes ({@code /health/*}, {@code /metrics}, {@code /openapi}, {@code /dashboard}) → services in the
 * order given (every GET route also answers HEAD) → {@link OwnedRoutes}: a path some route owns but
 * did not answer is 405 (with {@code Allow}) or 406, a path under an owned prefix 404, and only a
 * path nobody owns goes to the service fallback (the relay's catch-all), else 404. Failures anywhere
 * end in {@link ProblemResponses}.
 *
 * <p>Threads: handlers run on Vert.x event loops, one server instance per configured event loop
 * sharing the port. Services move blocking or CPU-heavy work off the loop themselves.
 */
public final class Platform {

    private static final Logger log = LoggerFactory.getLogger(Platform.class);

    /**
     * Paths that stay reachable when the concurrency limit is reached, so operators can look in. The
     * dashboard's streams last minutes; they have their own bound instead.
     */
    private static final List<String> UNLIMITED_PREFIXES = List.of("/health/", "/metrics", "/dashboard");

    private final Vertx vertx;
    private final List<HttpServer> servers;
    private final List<Service> services;
    private final PrometheusMeterRegistry metrics;
    private final ServerConfig config;
    private final AtomicBoolean draining;

    private Platform(
            Vertx vertx,
            List<HttpServer> servers,
            List<Service> services,
            PrometheusMeterRegistry metrics,
            ServerConfig config,
            AtomicBoolean draining) {
        this.vertx = vertx;
        this.servers = servers;
        this.services = services;
        this.metrics = metrics;
        this.config = config;
        this.draining = draining;
    }

    /** Builds the router, mounts {@code services} and listens. Fails if the port is taken. */
    public static Future<Platform> start(
            Vertx vertx, ServerConfig config, List<Service> services, PrometheusMeterRegistry metrics, Clock clock) {
        AtomicBoolean draining = new AtomicBoolean();
        Router router;
        try {
            router = router(vertx, config, List.copyOf(services), metrics, clock, draining);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return listen(vertx, config, router).map(servers -> {
            Platform platform = new Platform(vertx, servers, List.copyOf(services), metrics, config, draining);
            log.atInfo()
                    .addKeyValue("port", platform.port())
                    .addKeyValue(
                            "services", services.stream().map(Service::name).toList())
                    .log("switchboard listening on {}:{}", config.host(), platform.port());
            return platform;
        });
    }

    /** The whole pipeline in one place; see the class comment for the order. */
    static Router router(
            Vertx vertx,
            ServerConfig config,
            List<Service> services,
            PrometheusMeterRegistry metrics,
            Clock clock,
            AtomicBoolean draining) {
        Router router = Router.router(vertx);
        ConcurrencyLimit globalLimit = new ConcurrencyLimit("global", config.maxConcurrentRequests(), metrics);

        router.route().handler(new RequestIds());
        router.route().handler(new AccessLog());
        router.route().handler(new RequestChecks());
        router.route().handler(new HttpServerMetrics(metrics));
        router.route().handler(ctx -> {
            if (isUnlimited(ctx.request().path())) {
                ctx.next();
            } else {
                globalLimit.handle(ctx);
            }
        });

        new HealthRoutes(services, draining::get).mount(router);
        router.get("/metrics")
                .handler(ctx -> ctx.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                        .end(metrics.scrape()));
        JsonObject openApi = OpenApiDocument.build(version(), services);
        router.get("/openapi")
                .handler(ctx -> ctx.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(openApi.encode()));
        Dashboard.mount(
                router, vertx, metrics, services.stream().map(Service::name).toList());

        ServiceContext context = new ServiceContext(vertx, metrics, clock, config);
        for (Service service : services) {
            service.mount(router, context);
        }
        OwnedRoutes.headWhereverGet(router.getRoutes());
        router.route().last().handler(OwnedRoutes.of(router.getRoutes(), ownedPrefixes(services), fallback(services)));

        Handler<RoutingContext> failures = ProblemResponses.failureHandler(config.maxBodyBytes());
        router.route().failureHandler(failures);
        for (int status : new int[] {400, 404, 405, 406, 413, 415, 500}) {
            router.errorHandler(status, failures);
        }
        return router;
    }

    private static List<String> ownedPrefixes(List<Service> services) {
        List<String> prefixes = new ArrayList<>();
        services.forEach(service -> prefixes.addAll(service.ownedPrefixes()));
        return prefixes;
    }

    /** The one service's handler for paths nobody owns, or null; two would make ownership ambiguous. */
    private static Handler<RoutingContext> fallback(List<Service> services) {
        Handler<RoutingContext> fallback = null;
        String owner = null;
        for (Service service : services) {
            Handler<RoutingContext> candidate = service.fallback();
            if (candidate != null) {
                if (fallback != null) {
                    throw new IllegalArgumentException("services " + owner + " and " + service.name()
                            + " both declare a fallback for unowned paths; at most one may");
                }
                fallback = candidate;
                owner = service.name();
            }
        }
        return fallback;
    }

    private static boolean isUnlimited(String path) {
        for (String prefix : UNLIMITED_PREFIXES) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * One server per event loop on the same port. The first binds (port 0 picks a free one) and the
     * others join its actual port, so tests can use port 0 with several loops.
     */
    private static Future<List<HttpServer>> listen(Vertx vertx, ServerConfig config, Router router) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setTcpNoDelay(true)
                .setCompressionSupported(false)
                // No route speaks WebSocket; without these Vert.x adds an extension handler that
                // every request and response passes through.
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                .setIdleTimeout(120)
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
        InvalidRequests invalid = new InvalidRequests(options.getMaxInitialLineLength(), options.getMaxHeaderSize());
        return vertx.createHttpServer(new HttpServerOptions(options).setPort(config.port()))
                .requestHandler(router)
                .invalidRequestHandler(invalid)
                .listen()
                .compose(first -> {
                    List<Future<HttpServer>> others = new ArrayList<>();
                    for (int i = 1; i < config.eventLoops(); i++) {
                        others.add(vertx.createHttpServer(new HttpServerOptions(options).setPort(first.actualPort()))
                                .requestHandler(router)
                                .invalidRequestHandler(invalid)
                                .listen());
                    }
                    return Future.all(others).map(all -> {
                        List<HttpServer> servers = new ArrayList<>();
                        servers.add(first);
                        others.forEach(f -> servers.add(f.result()));
                        return servers;
                    });
                });
    }

    /** The port the server listens on (the actual one when configured with 0). */
    public int port() {
        return servers.get(0).actualPort();
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    public Vertx vertx() {
        return vertx;
    }

    /**
     * Graceful stop: readiness turns DOWN, the servers stop accepting and wait for in-flight requests
     * up to the configured timeout, then services release their resources.
     */
    public Future<Void> shutdown() {
        draining.set(true);
        long timeoutMs = config.shutdownTimeout().toMillis();
        List<Future<Void>> stopping = new ArrayList<>();
        for (HttpServer server : servers) {
            stopping.add(server.shutdown(timeoutMs, TimeUnit.MILLISECONDS));
        }
        return Future.join(stopping)
                .transform(ignored -> {
                    List<Future<Void>> closing = new ArrayList<>();
                    for (Service service : services) {
                        closing.add(service.close());
                    }
                    return Future.join(closing);
                })
                .mapEmpty();
    }

    private static String version() {
        String version = Platform.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
