package io.switchboard.platform.openapi;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenAPI 3.1 description served at {@code /openapi}: the platform's own fragment plus each
 * mounted service's fragment ({@code Service.openApi()}), merged once at start-up. It takes the
 * fragments rather than the services: {@code Platform} reads this package, so this package does not
 * read {@code Service} back (that would make the two packages one).
 *
 * <p>What the platform does to every answer is stated here once instead of in every fragment, so
 * it cannot be forgotten: each response carries {@code X-Request-Id}; a 4xx or 5xx answer a fragment
 * gives no body is an RFC 9457 problem; any request may be refused as malformed (400, e.g. two
 * {@code Host} headers); and an operation behind the global concurrency limit may be refused with
 * 503 and {@code Retry-After}.
 */
public final class OpenApiDocument {

    /** The HTTP methods an OpenAPI path item can describe. */
    private static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private static final String PROBLEM_SCHEMA = "#/components/schemas/Problem";

    private OpenApiDocument() {}

    /** One service's fragment, under the service's name (which error messages and the summary use). */
    public record Fragment(String service, JsonObject openApi) {}

    /**
     * The document for the services' {@code fragments}, in mount order; paths under {@code unlimitedPrefixes} bypass the global
     * concurrency limit, so only the others are said to answer 503 when it is reached.
     */
    public static JsonObject build(String version, List<Fragment> fragments, List<String> unlimitedPrefixes) {
        JsonObject merged = new JsonObject();
        OpenApiFragment.mergeInto(merged, "platform", OpenApiFragment.load(OpenApiDocument.class, "platform.json"));
        for (Fragment fragment : fragments) {
            OpenApiFragment.mergeInto(merged, fragment.service(), fragment.openApi());
        }
        JsonObject paths = merged.getJsonObject("paths");
        paths.forEach(path -> addPlatformAnswers(path.getKey(), (JsonObject) path.getValue(), unlimitedPrefixes));
        JsonObject components = merged.getJsonObject("components");
        components.getJsonObject("responses", new JsonObject()).forEach(r -> addRequestId((JsonObject) r.getValue()));
        return new JsonObject()
                .put("openapi", "3.1.0")
                .put("info", info(version, fragments))
                .put(
                        "servers",
                        new JsonArray().add(new JsonObject().put("url", "/").put("description", "This server")))
                .put("tags", merged.getJsonArray("tags"))
                .put("paths", paths)
                .put("components", components);
    }

    private static JsonObject info(String version, List<Fragment> fragments) {
        return new JsonObject()
                .put("title", "Switchboard")
                .put("version", version)
                .put(
                        "description",
                        "Services on this server: "
                                + String.join(
                                        ", ",
                                        fragments.stream()
                                                .map(Fragment::service)
                                                .toList())
                                + ". Every answer carries `X-Request-Id`; errors Switchboard produces itself are"
                                + " RFC 9457 problems (`application/problem+json`). The people's view of this"
                                + " document is at `/docs`.");
    }

    private static void addPlatformAnswers(String path, JsonObject item, List<String> unlimitedPrefixes) {
        boolean limited = unlimitedPrefixes.stream().noneMatch(path::startsWith);
        for (Map.Entry<String, Object> entry : item) {
            if (!METHODS.contains(entry.getKey())) {
                continue;
            }
            JsonObject responses = ((JsonObject) entry.getValue()).getJsonObject("responses");
            if (responses.fieldNames().stream().noneMatch(status -> status.startsWith("4"))) {
                responses.put("400", new JsonObject().put("$ref", "#/components/responses/BadRequest"));
            }
            if (limited && !responses.containsKey("503")) {
                responses.put("503", new JsonObject().put("$ref", "#/components/responses/Overloaded"));
            }
            for (Map.Entry<String, Object> response : responses) {
                JsonObject answer = (JsonObject) response.getValue();
                if (answer.containsKey("$ref")) {
                    continue;
                }
                addRequestId(answer);
                if (isError(response.getKey()) && !answer.containsKey("content")) {
                    answer.put(
                            "content",
                            new JsonObject()
                                    .put(
                                            "application/problem+json",
                                            new JsonObject()
                                                    .put("schema", new JsonObject().put("$ref", PROBLEM_SCHEMA))));
                }
            }
        }
    }

    private static void addRequestId(JsonObject response) {
        JsonObject headers = response.getJsonObject("headers", new JsonObject());
        headers.put("X-Request-Id", new JsonObject().put("$ref", "#/components/headers/X-Request-Id"));
        response.put("headers", headers);
    }

    private static boolean isError(String status) {
        return status.startsWith("4") || status.startsWith("5");
    }
}
