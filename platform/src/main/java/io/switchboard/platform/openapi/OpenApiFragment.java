package io.switchboard.platform.openapi;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A service's part of the OpenAPI description: a JSON resource beside the service's classes holding
 * {@code tags}, {@code paths} and {@code components}, written in OpenAPI 3.1 as it will be served.
 * The resource is the one place a service's contract is written; {@link OpenApiDocument} merges the
 * fragments, and the contract tests replay every operation in it against the running service.
 */
public final class OpenApiFragment {

    private OpenApiFragment() {}

    /**
     * Reads the resource {@code name} next to {@code owner}. A missing or malformed resource is a
     * packaging bug, so it fails the start with the resource's name.
     */
    public static JsonObject load(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "OpenAPI fragment " + name + " of " + owner.getSimpleName() + " is missing from the jar");
            }
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read OpenAPI fragment " + name + " of " + owner.getSimpleName(), e);
        }
    }

    /**
     * The fragment with {@code prefix} in front of every path, for services mounted under a
     * configurable prefix (compute's {@code --compute-prefix}, the mocks' {@code /_mock/...}). The
     * path {@code /} under a prefix becomes {@code prefix/}, as the route is mounted.
     */
    public static JsonObject withPathPrefix(JsonObject fragment, String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return fragment;
        }
        JsonObject copy = fragment.copy();
        JsonObject paths = copy.getJsonObject("paths", new JsonObject());
        JsonObject prefixed = new JsonObject();
        paths.forEach(entry -> prefixed.put(prefix + entry.getKey(), entry.getValue()));
        return copy.put("paths", prefixed);
    }

    /** One fragment holding the tags, paths and components of {@code fragments}, for a service made of several. */
    public static JsonObject combine(JsonObject... fragments) {
        JsonObject combined = new JsonObject();
        for (JsonObject fragment : fragments) {
            mergeInto(combined, "a combined service", fragment);
        }
        return combined;
    }

    /**
     * Adds a copy of {@code fragment}'s tags, paths and components to {@code into} (the document is
     * amended afterwards; the service's own objects stay as they are). Two fragments describing the
     * same operation, or the same component differently, are a wiring bug: fail naming {@code owner}.
     */
    static void mergeInto(JsonObject into, String owner, JsonObject original) {
        JsonObject fragment = original.copy();
        JsonArray tags = into.getJsonArray("tags", new JsonArray());
        for (Object tag : fragment.getJsonArray("tags", new JsonArray())) {
            // Services of one family (the mocks) share a tag; it is listed once.
            if (!tags.contains(tag)) {
                tags.add(tag);
            }
        }
        into.put("tags", tags);

        JsonObject paths = into.getJsonObject("paths", new JsonObject());
        for (Map.Entry<String, Object> path : fragment.getJsonObject("paths", new JsonObject())) {
            JsonObject item = paths.getJsonObject(path.getKey(), new JsonObject());
            for (Map.Entry<String, Object> operation : (JsonObject) path.getValue()) {
                if (item.containsKey(operation.getKey())) {
                    throw new IllegalStateException("OpenAPI: " + owner + " describes " + operation.getKey() + " "
                            + path.getKey() + ", which another service already describes");
                }
                item.put(operation.getKey(), operation.getValue());
            }
            paths.put(path.getKey(), item);
        }
        into.put("paths", paths);

        JsonObject components = into.getJsonObject("components", new JsonObject());
        for (Map.Entry<String, Object> section : fragment.getJsonObject("components", new JsonObject())) {
            JsonObject target = components.getJsonObject(section.getKey(), new JsonObject());
            for (Map.Entry<String, Object> component : (JsonObject) section.getValue()) {
                Object existing = target.getValue(component.getKey());
                if (existing != null && !existing.equals(component.getValue())) {
                    throw new IllegalStateException("OpenAPI: " + owner + " redefines components/" + section.getKey()
                            + "/" + component.getKey() + " differently");
                }
                target.put(component.getKey(), component.getValue());
            }
            components.put(section.getKey(), target);
        }
        into.put("components", components);
    }
}
