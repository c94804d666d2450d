package io.switchboard.distribute.jetstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.distribute.dispatch.TaskSpec;
import io.switchboard.distribute.dispatch.TaskState;
import io.switchboard.distribute.dispatch.TaskView;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * A queued task as it travels in the stream: its id, when it was accepted, and what to run. The
 * payload (Java serialization or a pickle) stays opaque bytes, base64 in the JSON. Until a node
 * starts the task, this message is also its {@code QUEUED} state: no separate write records it.
 */
record TaskMessage(String id, Instant submittedAt, TaskSpec spec) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The task's state while it waits in the stream: its message is its only record then. */
    TaskView queued() {
        return new TaskView(
                id, TaskState.QUEUED, spec.function(), 0, null, submittedAt, -1, -1, null, null, null, null, null);
    }

    byte[] encode() {
        ObjectNode json = JSON.createObjectNode();
        json.put("id", id);
        json.put("submitted_at", submittedAt.toString());
        json.put("function", spec.function());
        json.put("bundle", spec.bundle());
        if (spec.payload() != null) {
            json.put("payload", Base64.getEncoder().encodeToString(spec.payload()));
        }
        json.set("args", spec.args());
        json.put("timeout_ms", spec.timeout().toMillis());
        json.put("max_retries", spec.maxRetries());
        json.put("retry_exceptions", spec.retryExceptions());
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException("a task could not be written as JSON", e);
        }
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a task (a message written by
     *     something else on the subject)
     */
    static TaskMessage decode(byte[] bytes) {
        try {
            JsonNode json = JSON.readTree(bytes);
            JsonNode payload = json.get("payload");
            JsonNode args = json.get("args");
            TaskSpec spec = new TaskSpec(
                    json.get("function").asText(),
                    json.hasNonNull("bundle") ? json.get("bundle").asText() : null,
                    payload == null || payload.isNull()
                            ? null
                            : Base64.getDecoder().decode(payload.asText()),
                    args == null || args.isNull() ? null : args,
                    Duration.ofMillis(json.get("timeout_ms").asLong()),
                    json.get("max_retries").asInt(),
                    json.path("retry_exceptions").asBoolean());
            return new TaskMessage(
                    json.get("id").asText(),
                    Instant.parse(json.get("submitted_at").asText()),
                    spec);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a distribute task: " + e.getMessage(), e);
        }
    }
}
