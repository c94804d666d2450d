package io.switchboard.platform.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * Times every request into {@code http_server_requests_seconds}, labelled by method, route
 * template (never the raw path, which would explode the label set), status and service.
 */
public final class HttpServerMetrics implements Handler<RoutingContext> {

    /** Label value for requests that matched no route template. */
    private static final String UNMATCHED = "unmatched";

    private final MeterRegistry registry;

    public HttpServerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addBodyEndHandler(done -> Timer.builder("http.server.requests")
                .description("HTTP requests served, by route template")
                .tag("method", ctx.request().method().name())
                .tag("route", routeTemplate(ctx))
                .tag("status", Integer.toString(ctx.response().getStatusCode()))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(Duration.ofNanos(System.nanoTime() - start)));
        ctx.next();
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
