package io.switchboard.platform;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

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

    /** Whether the service can take traffic now; {@code /health/ready} answers 503 while any is not. */
    default Future<Boolean> ready() {
        return Future.succeededFuture(true);
    }

    /**
     * Facts about the service shown under {@code details.<name>} of {@code /health/ready} (for
     * example which engine it runs on); empty for none. Called on the event loop: must not block.
     */
    default JsonObject healthDetails() {
        return new JsonObject();
    }

    /** OpenAPI 3.1 {@code paths} entries for this service, merged into {@code /openapi}. */
    default JsonObject openApiPaths() {
        return new JsonObject();
    }

    /** Releases what the service holds (pools, files). Called after the server stopped accepting. */
    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
