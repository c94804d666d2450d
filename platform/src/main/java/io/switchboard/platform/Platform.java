package io.switchboard.platform;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.util.internal.PlatformDependent;
import io.switchboard.platform.dashboard.Dashboard;
import io.switchboard.platform.health.HealthRoutes;
import io.switchboard.platform.limit.ConcurrencyLimit;
import io.switchboard.platform.limit.DrainGate;
import io.switchboard.platform.observability.AccessLog;
import io.switchboard.platform.observability.HttpServerMetrics;
import io.switchboard.platform.observability.RequestIds;
import io.switchboard.platform.observability.Tracing;
import io.switchboard.platform.openapi.DocsRoutes;
import io.switchboard.platform.openapi.OpenApiDocument;
import io.switchboard.platform.problem.InvalidRequests;
import io.switchboard.platform.problem.ProblemResponses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Switchboard HTTP server: the platform routes plus the mounted services, on one port.
 *
 * <p>The request pipeline, in order: (trace context pass-through when tracing is off) → request id → access log → metrics → global concurrency limit
 * → platform routes ({@code /health/*}, {@code /metrics}, {@code /openapi}, {@code /docs}, {@code /dashboard}) → services in the
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
    private final DrainGate drainGate;

    private Platform(
            Vertx vertx,
            List<HttpServer> servers,
            List<Service> services,
            PrometheusMeterRegistry metrics,
            ServerConfig config,
            AtomicBoolean draining,
            DrainGate drainGate) {
        this.vertx = vertx;
        this.servers = servers;
        this.services = services;
        this.metrics = metrics;
        this.config = config;
        this.draining = draining;
        this.drainGate = drainGate;
    }

    /** Builds the router, mounts {@code services} and listens, without tracing. Fails if the port is taken. */
    public static Future<Platform> start(
            Vertx vertx, ServerConfig config, List<Service> services, PrometheusMeterRegistry metrics, Clock clock) {
        return start(vertx, config, services, metrics, clock, Tracing.disabled());
    }

    /**
     * Builds the router, mounts {@code services} and listens. {@code vertx} must come from {@link
     * Tracing#newVertx} of the same {@code tracing} for spans to be made. Fails if the port is taken.
     */
    public static Future<Platform> start(
            Vertx vertx,
            ServerConfig config,
            List<Service> services,
            PrometheusMeterRegistry metrics,
            Clock clock,
            Tracing tracing) {
        AtomicBoolean draining = new AtomicBoolean();
        DrainGate drainGate = new DrainGate(draining);
        Router router;
        try {
            router = router(vertx, config, List.copyOf(services), metrics, clock, tracing, draining, drainGate);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return listen(vertx, config, router).map(servers -> {
            Platform platform =
                    new Platform(vertx, servers, List.copyOf(services), metrics, config, draining, drainGate);
            log.atInfo()
                    .addKeyValue("port", platform.port())
                    .addKeyValue(
                            "services", services.stream().map(Service::name).toList())
                    // False when the JVM runs without --sun-misc-unsafe-memory-access=allow (the
                    // launcher passes it): Netty then uses slower bounds-checked buffer calls.
                    .addKeyValue("netty_unsafe", PlatformDependent.hasUnsafe())
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
            Tracing tracing,
            AtomicBoolean draining,
            DrainGate drainGate) {
        Router router = Router.router(vertx);
        ConcurrencyLimit globalLimit = new ConcurrencyLimit("global", config.maxConcurrentRequests(), metrics);

        Handler<RoutingContext> passThrough = tracing.passThroughHandler();
        if (passThrough != null) {
            router.route().handler(passThrough);
        }
        router.route().handler(new RequestIds());
        router.route().handler(new AccessLog());
        router.route().handler(new RequestChecks());
        // Its handler is added once every route is mounted: it labels failed requests by the
        // templates of those routes.
        Route serverMetrics = router.route();
        router.route().handler(ctx -> {
            if (isUnlimited(ctx.request().path())) {
                ctx.next();
            } else {
                drainGate.handle(ctx);
            }
        });
        router.route().handler(ctx -> {
            if (isUnlimited(ctx.request().path())) {
                ctx.next();
            } else {
                globalLimit.handle(ctx);
            }
        });

        new HealthRoutes(
                        services.stream()
                                .map(service -> new HealthRoutes.Component(
                                        service.name(), service::ready, service::readinessDetails))
                                .toList(),
                        draining::get)
                .mount(router);
        router.get("/metrics")
                .handler(ctx -> ctx.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                        .end(metrics.scrape()));
        String openApi = OpenApiDocument.build(
                        version(),
                        services.stream()
                                .map(service -> new OpenApiDocument.Fragment(service.name(), service.openApi()))
                                .toList(),
                        UNLIMITED_PREFIXES)
                .encode();
        router.get("/openapi")
                .handler(ctx -> ctx.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(openApi));
        DocsRoutes.load().mount(router);
        Dashboard.mount(
                router, vertx, metrics, services.stream().map(Service::name).toList());

        ServiceContext context = new ServiceContext(vertx, metrics, clock, config, tracing);
        for (Service service : services) {
            service.mount(router, context);
        }
        OwnedRoutes.headWhereverGet(router.getRoutes());
        OwnedRoutes owned = OwnedRoutes.of(router.getRoutes(), ownedPrefixes(services), fallback(services));
        serverMetrics.handler(new HttpServerMetrics(metrics, owned::templateOf, tracing.enabled()));
        router.route().last().handler(owned);

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
    private static OwnedRoutes.@Nullable Fallback fallback(List<Service> services) {
        OwnedRoutes.Fallback fallback = null;
        for (Service service : services) {
            Handler<RoutingContext> candidate = service.fallback();
            if (candidate != null) {
                if (fallback != null) {
                    throw new IllegalArgumentException("services " + fallback.service() + " and " + service.name()
                            + " both declare a fallback for unowned paths; at most one may");
                }
                fallback = new OwnedRoutes.Fallback(service.name(), candidate);
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
     * Graceful stop. First it drains ({@link DrainGate}): readiness answers 503, new work is refused
     * with 503, and the requests in flight finish, within the configured timeout; the servers keep
     * accepting meanwhile, so that a load balancer can see the 503. Then the servers stop accepting
     * and close their connections (waiting what is left of the timeout), and the services release
     * their resources.
     */
    public Future<Void> shutdown() {
        draining.set(true);
        long timeoutMs = config.shutdownTimeout().toMillis();
        log.atInfo()
                .addKeyValue("phase", "drain")
                .log(
                        "shutdown: draining: readiness is DOWN, new requests get 503; waiting up to {} ms for in-flight requests",
                        timeoutMs);
        long started = System.nanoTime();
        return drainGate.drained(vertx, config.shutdownTimeout()).compose(drained -> stopServers(started));
    }

    private Future<Void> stopServers(long started) {
        long left = Math.max(0, config.shutdownTimeout().toMillis() - (System.nanoTime() - started) / 1_000_000);
        List<Future<Void>> stopping = new ArrayList<>();
        for (HttpServer server : servers) {
            stopping.add(server.shutdown(left, TimeUnit.MILLISECONDS));
        }
        return Future.join(stopping)
                .transform(drained -> {
                    log.atInfo()
                            .addKeyValue("phase", "close-services")
                            .log(
                                    "shutdown: servers stopped ({}); closing services {}",
                                    drained.succeeded() ? "drained" : "drain failed: " + drained.cause(),
                                    services.stream().map(Service::name).toList());
                    List<Future<Void>> closing = new ArrayList<>();
                    for (Service service : services) {
                        closing.add(service.close()
                                .onFailure(failure -> log.atWarn()
                                        .addKeyValue("phase", "close-services")
                                        .setCause(failure)
                                        .log("shutdown: service {} did not close cleanly", service.name())));
                    }
                    return Future.join(closing);
                })
                .onComplete(closed ->
                        log.atInfo().addKeyValue("phase", "services-closed").log("shutdown: services closed"))
                .mapEmpty();
    }

    private static String version() {
        String version = Platform.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
