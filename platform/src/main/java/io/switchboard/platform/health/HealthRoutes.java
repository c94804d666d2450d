package io.switchboard.platform.health;

import io.switchboard.platform.Service;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: every service says it can take
 * traffic and the server is not draining; load balancers stop sending requests when it is 503.
 */
public final class HealthRoutes {

    private final List<Service> services;
    private final BooleanSupplier draining;

    public HealthRoutes(List<Service> services, BooleanSupplier draining) {
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
        for (Service service : services) {
            checks.add(service.ready().otherwise(false));
        }
        Future.join(checks).onComplete(done -> {
            JsonObject components = new JsonObject();
            JsonObject details = new JsonObject();
            boolean allUp = !draining.getAsBoolean();
            for (int i = 0; i < services.size(); i++) {
                Service service = services.get(i);
                boolean up = Boolean.TRUE.equals(checks.get(i).result());
                components.put(service.name(), up ? "UP" : "DOWN");
                allUp &= up;
                JsonObject serviceDetails = service.readinessDetails();
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
