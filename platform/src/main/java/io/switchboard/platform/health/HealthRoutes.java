package io.switchboard.platform.health;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: every service says it can take
 * traffic and the server is not draining; load balancers stop sending requests when it is 503.
 *
 * <p>It takes each service's checks rather than the {@code Service} itself: {@code Platform} reads
 * this package, so this package does not read {@code Service} back (that would make the two one).
 */
public final class HealthRoutes {

    /**
     * What readiness asks of one service.
     *
     * @param name the service's name, the key in the answer
     * @param ready whether it can take traffic now
     * @param details what it adds under {@code details}, or null for nothing
     */
    public record Component(String name, Supplier<Future<Boolean>> ready, Supplier<JsonObject> details) {}

    private final List<Component> services;
    private final BooleanSupplier draining;

    public HealthRoutes(List<Component> services, BooleanSupplier draining) {
        this.services = List.copyOf(services);
        this.draining = draining;
    }

    public void mount(Router router) {
        router.get("/health/live").handler(this::handleLive);
        router.get("/health/ready").handler(this::handleReady);
    }

    private void handleLive(RoutingContext ctx) {
        respond(ctx, 200, new JsonObject().put("status", "UP"));
    }

    private void handleReady(RoutingContext ctx) {
        List<Future<Boolean>> checks = new ArrayList<>();
        for (Component service : services) {
            checks.add(service.ready().get().otherwise(false));
        }
        Future.join(checks).onComplete(done -> {
            JsonObject components = new JsonObject();
            JsonObject details = new JsonObject();
            boolean allUp = !draining.getAsBoolean();
            for (int i = 0; i < services.size(); i++) {
                Component service = services.get(i);
                boolean up = Boolean.TRUE.equals(checks.get(i).result());
                components.put(service.name(), up ? "UP" : "DOWN");
                allUp &= up;
                JsonObject serviceDetails = service.details().get();
                if (serviceDetails != null) {
                    details.put(service.name(), serviceDetails);
                }
            }
            JsonObject body =
                    new JsonObject().put("status", allUp ? "UP" : "DOWN").put("services", components);
            if (!details.isEmpty()) {
                body.put("details", details);
            }
            if (draining.getAsBoolean()) {
                body.put("draining", true);
            }
            respond(ctx, allUp ? 200 : 503, body);
        });
    }

    private static void respond(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(body.encode());
    }
}
