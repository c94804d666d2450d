package io.switchboard.platform.problem;

import io.vertx.core.json.JsonObject;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem detail: the body of every 4xx and 5xx answer Switchboard produces itself.
 *
 * @param type URI naming the kind of problem; {@code about:blank} when the status says it all
 * @param title short summary of the kind of problem, the same for every occurrence
 * @param status HTTP status code
 * @param detail what went wrong with this request, for a person
 * @param parameter the offending input (query or path parameter, header, body field), or null
 */
public record Problem(
        String type,
        String title,
        int status,
        @Nullable String detail,
        @Nullable String parameter) {

    /** Media type of problem bodies. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** Prefix of the type URIs Switchboard defines. */
    private static final String TYPE_PREFIX = "https://switchboard.dev/problems/";

    public Problem {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem has a 4xx or 5xx status, was " + status);
        }
    }

    /** 400 for a parameter that breaks a rule; the detail should state the rule. */
    public static Problem invalidParameter(String parameter, @Nullable String detail) {
        return new Problem(TYPE_PREFIX + "invalid-parameter", "Invalid parameter", 400, detail, parameter);
    }

    /** A problem of a kind Switchboard names, e.g. {@code of(422, "budget-exceeded", ...)}. */
    public static Problem of(int status, String slug, String title, @Nullable String detail) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail, null);
    }

    /** A problem whose status says it all (404, 405, 413, ...). */
    public static Problem ofStatus(int status, String title, @Nullable String detail) {
        return new Problem("about:blank", title, status, detail, null);
    }

    public Problem withParameter(String name) {
        return new Problem(type, title, status, detail, name);
    }

    /** The JSON body; {@code instance} and {@code request_id} tie it to the request that failed. */
    public JsonObject toJson(@Nullable String instance, String requestId) {
        JsonObject json = new JsonObject()
                .put("type", type)
                .put("title", title)
                .put("status", status)
                .put("detail", detail);
        if (parameter != null) {
            json.put("parameter", parameter);
        }
        if (instance != null) {
            json.put("instance", instance);
        }
        if (requestId != null) {
            json.put("request_id", requestId);
        }
        return json;
    }
}
