package io.switchboard.fanout;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.fanout.errorlog.RotatingFileWriter;
import io.switchboard.platform.Service;
import io.switchboard.platform.ServiceContext;
import io.switchboard.platform.limit.ConcurrencyLimit;
import io.switchboard.platform.observability.RequestIds;
import io.switchboard.platform.observability.Tracing;
import io.switchboard.platform.openapi.OpenApiFragment;
import io.switchboard.platform.upstream.UpstreamClientConfig;
import io.switchboard.platform.upstream.UpstreamClients;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The assignment's four endpoints over one {@link Fanout}: {@code /api/all}, {@code /api/first},
 * {@code /api/within-timeout} and {@code /api/smart}, each taking {@code timeout} in milliseconds
 * as {@code ?timeout=} or a last path segment ({@code /api/smart/500}).
 *
 * <p>Flow of a request: concurrency limit (503 beyond {@code requestsLimit}) → parse {@code timeout}
 * (400 naming it) → {@link Fanout#run} with the endpoint's {@link FanoutPolicy} and the timeout as
 * deadline → the success's JSON (or a JSON array of them), or a problem: 504 when the deadline
 * passed, 502 when every attempt failed. Every failed attempt is appended to the backend error log
 * and all of it is measured.
 *
 * <p>Threads: everything runs on the event loop of the request; the error log writes on its own
 * thread. The backend is resolved once: the configured URL, or — when none is configured — the work
 * mock inside this same server, whose port is only known when the first request arrives.
 *
 * <p>This class holds the routes and the lifecycle; the parts are named for their jobs: {@link
 * BackendResolution} (which backend, and the fan-outs over it), {@link TimeoutParameter} (the
 * {@code timeout} parameter), {@link FanoutAnswers} (the answer, and failures as statuses).
 */
public final class FanoutService implements Service {

    public static final String NAME = "fanout";

    /** Header telling how many backend attempts a request fired. */
    public static final String ATTEMPTS_HEADER = "X-Fanout-Attempts";

    /** Header telling which attempt (1-based) gave a single-answer endpoint its answer. */
    public static final String WINNER_HEADER = "X-Fanout-Winner";

    /** Longest connect time allowed to one backend call, below the upstream timeout when it is longer. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /** The four endpoints and their policies. */
    public enum Endpoint {
        ALL("all"),
        FIRST("first"),
        WITHIN_TIMEOUT("within-timeout"),
        SMART("smart");

        private final String path;

        Endpoint(String path) {
            this.path = path;
        }

        public String path() {
            return "/api/" + path;
        }

        /** The endpoint's name in metrics and the backend error log ({@code smart}). */
        String label() {
            return path;
        }

        FanoutPolicy policy(FanoutConfig config) {
            return switch (this) {
                case ALL -> FanoutPolicy.all(config.width());
                case FIRST -> FanoutPolicy.first(config.width());
                case WITHIN_TIMEOUT -> FanoutPolicy.withinDeadline(config.width());
                case SMART -> FanoutPolicy.hedged(config.width(), 1, config.hedgeDelay());
            };
        }

        boolean singleAnswer() {
            return this == FIRST || this == SMART;
        }
    }

    private final FanoutConfig config;
    private final Clock clock;
    private Vertx vertx;
    private MeterRegistry metrics;
    private Tracing tracing;
    private HttpClient client;
    private RotatingFileWriter errorLogWriter;
    private BackendResolution backends;

    public FanoutService(FanoutConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void mount(Router router, ServiceContext context) {
        this.vertx = context.vertx();
        this.metrics = context.metrics();
        this.tracing = context.tracing();
        int connections = config.requestsLimit() * config.width();
        Duration connect =
                config.requestTimeout().compareTo(CONNECT_TIMEOUT) < 0 ? config.requestTimeout() : CONNECT_TIMEOUT;
        this.client = UpstreamClients.create(
                vertx, new UpstreamClientConfig(connections, connect, Duration.ofSeconds(30), connections));
        this.errorLogWriter =
                new RotatingFileWriter(config.errorLog(), config.errorLogMaxBytes(), config.errorLogKeep());
        registerGauges(metrics);
        this.backends = new BackendResolution(config, vertx, client, metrics, tracing, errorLogWriter, clock);
        ConcurrencyLimit limit = new ConcurrencyLimit(NAME, config.requestsLimit(), metrics);
        for (Endpoint endpoint : Endpoint.values()) {
            for (String path : List.of(endpoint.path(), endpoint.path() + "/:timeout")) {
                router.get(path).handler(limit).handler(ctx -> handleFanout(ctx, endpoint));
            }
        }
    }

    private void handleFanout(RoutingContext ctx, Endpoint endpoint) {
        Duration timeout = TimeoutParameter.parse(ctx, config);
        // A client that leaves takes its fan-out with it: no backend calls for nobody.
        Promise<Void> clientGone = Promise.promise();
        ctx.response().closeHandler(closed -> clientGone.tryComplete());
        Objects.requireNonNull(
                        backends.backend(ctx.request().localAddress()).fanouts().get(endpoint),
                        "every endpoint has a fan-out")
                .run(endpoint.policy(config), timeout, RequestIds.of(ctx), clientGone.future())
                .onSuccess(result -> FanoutAnswers.respond(ctx, endpoint, result))
                .onFailure(failure -> {
                    if (!ctx.response().closed()) {
                        ctx.fail(FanoutAnswers.toProblem(failure));
                    }
                });
    }

    private void registerGauges(MeterRegistry registry) {
        Gauge.builder("fanout.backend.in.flight", this, FanoutService::backendInFlight)
                .description("Backend requests started and not yet settled or cancelled")
                .register(registry);
        Gauge.builder("fanout.timers.pending", this, FanoutService::pendingTimers)
                .description("Hedge and deadline timers set and not yet fired or cancelled")
                .register(registry);
        // A count that only grows: a counter (…_total), so rate() and increase() apply.
        FunctionCounter.builder("fanout.backend.error.log.dropped", this, s -> s.errorLogWriter.dropped())
                .description("Backend error log lines dropped because the writer could not keep up")
                .register(registry);
    }

    /** Backend requests in flight; 0 when idle, whatever ran before. */
    public int backendInFlight() {
        BackendResolution.Backend current = backends == null ? null : backends.current();
        return current == null ? 0 : current.upstream().inFlight();
    }

    /** Fan-out timers pending; 0 when idle. */
    public int pendingTimers() {
        BackendResolution.Backend current = backends == null ? null : backends.current();
        return current == null
                ? 0
                : current.fanouts().values().stream()
                        .mapToInt(Fanout::pendingTimers)
                        .sum();
    }

    /** Fan-outs running; 0 when idle. */
    public int activeRuns() {
        BackendResolution.Backend current = backends == null ? null : backends.current();
        return current == null
                ? 0
                : current.fanouts().values().stream()
                        .mapToInt(Fanout::activeRuns)
                        .sum();
    }

    /** The backend's URL, once resolved. */
    public URI remoteUrl() {
        BackendResolution.Backend current = backends == null ? null : backends.current();
        return current == null ? config.remoteUrl() : current.url();
    }

    @Override
    public JsonObject openApi() {
        return OpenApiFragment.load(FanoutService.class, "openapi.json");
    }

    @Override
    public Future<Void> close() {
        Future<Void> closing = client == null ? Future.succeededFuture() : client.close();
        return closing.eventually(() -> {
                    if (errorLogWriter != null) {
                        return vertx.executeBlocking(() -> {
                            errorLogWriter.close();
                            return null;
                        });
                    }
                    return Future.succeededFuture();
                })
                .mapEmpty();
    }
}
