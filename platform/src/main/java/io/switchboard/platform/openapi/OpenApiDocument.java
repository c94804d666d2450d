package io.switchboard.platform.openapi;

import io.switchboard.platform.Service;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The OpenAPI 3.1 description served at {@code /openapi}: the platform's own paths plus each
 * mounted service's {@link Service#openApiPaths() fragment}. Built once at start-up.
 */
public final class OpenApiDocument {

    private OpenApiDocument() {}

    public static JsonObject build(String version, List<Service> services) {
        JsonObject paths = new JsonObject()
                .put("/health/live", operation("Liveness: the process answers", "health"))
                .put("/health/ready", operation("Readiness: every service can take traffic", "health"))
                .put("/metrics", operation("Prometheus metrics in the text exposition format", "metrics"))
                .put("/openapi", operation("This document", "openapi"));
        for (Service service : services) {
            paths.mergeIn(service.openApiPaths());
        }
        return new JsonObject()
                .put("openapi", "3.1.0")
                .put(
                        "info",
                        new JsonObject()
                                .put("title", "Switchboard")
                                .put("version", version)
                                .put(
                                        "description",
                                        "Services: "
                                                + String.join(
                                                        ", ",
                                                        services.stream()
                                                                .map(Service::name)
                                                                .toList())))
                .put("paths", paths);
    }

    /** A GET operation answering 200, for simple read-only paths. */
    public static JsonObject operation(String summary, String tag) {
        return new JsonObject()
                .put(
                        "get",
                        new JsonObject()
                                .put("summary", summary)
                                .put("tags", List.of(tag))
                                .put(
                                        "responses",
                                        new JsonObject().put("200", new JsonObject().put("description", "OK"))));
    }
}
