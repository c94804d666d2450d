package io.switchboard.platform.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every request into {@code switchboard_http_server_requests_seconds}, labelled by method, route
 * template (never the raw path, which would explode the label set), status and service.
 */
public final class HttpServerMetrics implements Handler<RoutingContext> {

    /** Label value for requests that matched no route template. */
    private static final String UNMATCHED = "unmatched";

    /**
     * Methods that get their own label value (RFC 9110 §9 and PATCH). Any other method a client
     * invents is counted as {@link #OTHER_METHOD}, so clients cannot create series at will.
     */
    private static final Set<String> KNOWN_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    /** Label value for every method outside {@link #KNOWN_METHODS}. */
    static final String OTHER_METHOD = "_OTHER";

    private final MeterRegistry registry;

    /**
     * Timers by label values. Registering through the builder on every request costs a tag sort
     * and a registry lookup; the label space is small (routes × methods × statuses), so cache.
     */
    private final ConcurrentHashMap<Labels, Timer> timers = new ConcurrentHashMap<>();

    private record Labels(String method, String route, int status) {}

    public HttpServerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addBodyEndHandler(done -> timer(new Labels(
                        methodLabel(ctx.request().method().name()),
                        routeTemplate(ctx),
                        ctx.response().getStatusCode()))
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        ctx.next();
    }

    static String methodLabel(String method) {
        return KNOWN_METHODS.contains(method) ? method : OTHER_METHOD;
    }

    private Timer timer(Labels labels) {
        return timers.computeIfAbsent(
                labels,
                l -> Timer.builder("http.server.requests")
                        .description("HTTP requests served, by route template")
                        .tag("method", l.method())
                        .tag("route", l.route())
                        .tag("status", Integer.toString(l.status()))
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry));
    }

    /**
     * The template of the route that answered, e.g. {@code /fibonacci/:n}. Routes declared with a
     * regular expression have no template; they report their name when they set one.
     */
    private static String routeTemplate(RoutingContext ctx) {
        Route route = ctx.currentRoute();
        if (route == null) {
            return UNMATCHED;
        }
        if (route.getName() != null) {
            return route.getName();
        }
        String path = route.getPath();
        return path == null || path.isEmpty() ? UNMATCHED : path;
    }
}
