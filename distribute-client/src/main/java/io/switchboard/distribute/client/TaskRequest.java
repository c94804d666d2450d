package io.switchboard.distribute.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.distribute.client.internal.Bundle;
import io.switchboard.distribute.client.internal.Invocation;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one {@code POST /distribute/tasks} submits, options included. Copies change options.
 *
 * @param function {@code java}, a built-in name or {@code com.example.Tasks::square}
 * @param bundle the bundle to upload first and to name, or null
 * @param bundleId the id to name when the bundle was uploaded elsewhere, or null
 * @param payload the serialized {@link Invocation} ("java" only), else null
 * @param args the JSON arguments (built-in and {@code Class::method} functions), else empty
 * @param timeout the run timeout, or null for the server's default
 * @param maxRetries retries after a worker crash, or null for the server's default
 * @param retryExceptions whether a user exception is retried too, or null for the server's default
 */
record TaskRequest(
        String function,
        @Nullable Bundle bundle,
        @Nullable String bundleId,
        byte @Nullable [] payload,
        List<JsonNode> args,
        @Nullable Duration timeout,
        @Nullable Integer maxRetries,
        @Nullable Boolean retryExceptions) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The "java" task running a shipped invocation. */
    public static TaskRequest java(ShippedFunction.Shipment shipment) {
        return new TaskRequest("java", shipment.bundle(), null, shipment.payload(), List.of(), null, null, null);
    }

    /** A named function with JSON arguments, in {@code bundle} (which may be null) or a bundle known by id. */
    public static TaskRequest named(
            String function, @Nullable Bundle bundle, @Nullable String bundleId, Object... args) {
        List<JsonNode> json = java.util.Arrays.stream(args)
                .map(arg -> JSON.<JsonNode>valueToTree(arg))
                .toList();
        return new TaskRequest(function, bundle, bundleId, null, json, null, null, null);
    }

    public TaskRequest withTimeout(Duration timeout) {
        return new TaskRequest(function, bundle, bundleId, payload, args, timeout, maxRetries, retryExceptions);
    }

    public TaskRequest withMaxRetries(int maxRetries) {
        return new TaskRequest(function, bundle, bundleId, payload, args, timeout, maxRetries, retryExceptions);
    }

    public TaskRequest withRetryExceptions(boolean retryExceptions) {
        return new TaskRequest(function, bundle, bundleId, payload, args, timeout, maxRetries, retryExceptions);
    }

    /** The bundle's id to name in the task, or null. */
    public @Nullable String bundleIdToName() {
        return bundle != null ? bundle.id() : bundleId;
    }

    /** The request's JSON body. */
    ObjectNode toJson() {
        ObjectNode body = JSON.createObjectNode();
        body.put("function", function);
        String id = bundleIdToName();
        if (id != null) {
            body.put("bundle", id);
        }
        if (payload != null) {
            body.put("payload", Base64.getEncoder().encodeToString(payload));
        }
        if (payload == null) {
            body.putArray("args").addAll(args);
        }
        if (timeout != null) {
            body.put("timeout_ms", timeout.toMillis());
        }
        if (maxRetries != null) {
            body.put("max_retries", maxRetries);
        }
        if (retryExceptions != null) {
            body.put("retry_exceptions", retryExceptions);
        }
        return body;
    }
}
