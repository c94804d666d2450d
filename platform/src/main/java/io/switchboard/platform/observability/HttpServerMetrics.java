package io.switchboard.platform.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Times every request into {@code switchboard_http_server_requests_seconds}, labelled by method, route
 * template (never the raw path, which would explode the label set), status and service.
 *
 * <p>The route label is, in order: the template of the route that answered; else a label a handler
 * gave the request with {@link #labelRoute} (the relay's catch-all names itself); else, for a request
 * that failed (its answer then comes from the failure handler, a route without a path), the template
 * its path matches; else {@code unmatched}. Only requests that did not end on a templated route pay
 * for the template lookup. The same label names the request's server span when tracing is on.
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

    /** The semantic-convention attribute of a server span's route template. */
    private static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");

    /** Key of the label a handler gave the request, in the routing context. */
    private static final String LABEL_KEY = HttpServerMetrics.class.getName() + ".route";

    private final MeterRegistry registry;

    /** The template a path matches (for requests that failed before a route answered), or null. */
    private final UnaryOperator<String> templateOfPath;

    /**
     * Timers by label values. Registering through the builder on every request costs a tag sort
     * and a registry lookup; the label space is small (routes × methods × statuses), so cache.
     */
    private final ConcurrentHashMap<Labels, Timer> timers = new ConcurrentHashMap<>();

    private record Labels(String method, String route, int status) {}

    /** Whether to name server spans after routes: only when tracing is on, so it costs nothing off. */
    private final boolean nameSpans;

    public HttpServerMetrics(MeterRegistry registry, UnaryOperator<String> templateOfPath, boolean nameSpans) {
        this.registry = registry;
        this.templateOfPath = templateOfPath;
        this.nameSpans = nameSpans;
    }

    /**
     * Gives {@code ctx} a route label for requests answered by a handler without a path template,
     * such as the relay's catch-all. The label must come from a small fixed set, never the path.
     */
    public static void labelRoute(RoutingContext ctx, String label) {
        ctx.put(LABEL_KEY, label);
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        if (nameSpans) {
            ctx.addHeadersEndHandler(headers -> nameServerSpan(ctx));
        }
        ctx.addBodyEndHandler(done -> timer(new Labels(
                        methodLabel(ctx.request().method().name()),
                        routeTemplate(ctx),
                        ctx.response().getStatusCode()))
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        ctx.next();
    }

    /**
     * Names the request's server span after its route, as the metrics label it ({@code GET
     * /fibonacci/:n}), before the answer ends it. A no-op span when tracing is off or unsampled.
     */
    private void nameServerSpan(RoutingContext ctx) {
        Span span = Span.current();
        if (span.isRecording()) {
            String route = routeTemplate(ctx);
            span.updateName(ctx.request().method().name() + " " + route);
            span.setAttribute(HTTP_ROUTE, route);
        }
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
    private String routeTemplate(RoutingContext ctx) {
        Route route = ctx.currentRoute();
        if (route != null) {
            if (route.getName() != null) {
                return route.getName();
            }
            String path = route.getPath();
            if (path != null && !path.isEmpty()) {
                return path;
            }
        }
        String label = ctx.get(LABEL_KEY);
        if (label != null) {
            return label;
        }
        String template = templateOfPath.apply(ctx.normalizedPath());
        return template == null ? UNMATCHED : template;
    }
}
