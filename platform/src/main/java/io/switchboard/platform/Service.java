package io.switchboard.platform;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One Switchboard system (compute, relay, eye, ...) as the platform sees it: a set of routes, an
 * optional readiness check and an OpenAPI fragment.
 *
 * <p>The platform mounts services in the order it is given them, after its own routes ({@code
 * /health/*}, {@code /metrics}, {@code /openapi}). A service that wants to be the lowest-precedence
 * fallback (the relay's catch-all) registers its route with {@link io.vertx.ext.web.Route#last()}.
 */
public interface Service {

    /** Short lower-case name, used in logs, metrics and {@code serve --only}. */
    String name();

    /** Adds this service's routes to {@code router}. Called once, before the server listens. */
    void mount(Router router, ServiceContext context);

    /**
     * The handler for requests whose path no service owns (the relay's catch-all), or null. Called
     * after {@link #mount}; at most one mounted service may have one.
     */
    default @Nullable Handler<RoutingContext> fallback() {
        return null;
    }

    /**
     * Path prefixes this service owns whole (e.g. a mock's {@code /_mock/menu}): a path under one that
     * no route matches is a 404, never handed to the fallback.
     */
    default List<String> ownedPrefixes() {
        return List.of();
    }

    /** Whether the service can take traffic now; {@code /health/ready} answers 503 while any is not. */
    default Future<Boolean> ready() {
        return Future.succeededFuture(true);
    }

    /**
     * What {@code /health/ready} shows about this service beyond UP/DOWN (e.g. a processing lag), or
     * null. Details inform; they do not change readiness. Called on the event loop: must not block.
     */
    default @Nullable JsonObject readinessDetails() {
        return null;
    }

    /**
     * This service's part of {@code /openapi}: an OpenAPI 3.1 fragment with {@code tags}, {@code
     * paths} and {@code components}, usually read from a resource with {@link
     * io.switchboard.platform.openapi.OpenApiFragment#load}. Every route should be described in it.
     */
    default JsonObject openApi() {
        return new JsonObject();
    }

    /** Releases what the service holds (pools, files). Called after the server stopped accepting. */
    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
