package io.switchboard.distribute.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Reads an ended task's JSON into what the caller gets: a {@link RemoteResult}, or a {@link
 * TaskFailedException} whose cause chain rebuilds the remote exception with its stack trace.
 */
final class TaskOutcomes {

    /** How deep a remote cause chain is rebuilt; a longer one is cut (a cycle would be infinite). */
    static final int MAX_CAUSES = 32;

    private TaskOutcomes() {}

    /**
     * The result of a SUCCEEDED task.
     *
     * @throws TaskFailedException when the task FAILED or was CANCELLED
     * @throws DistributeException when the task has not ended or its result cannot be decoded
     */
    // One arm per state, each returning or throwing: clearer as a statement switch than an expression.
    @SuppressWarnings("RefactorSwitch")
    public static <R> RemoteResult<R> outcome(JsonNode task, ResultDecoder<R> decoder) {
        String state = task.path("state").asText();
        switch (state) {
            case "SUCCEEDED" -> {
                R value;
                try {
                    value = decoder.decode(
                            task.path("result"), task.path("result_encoding").asText(Results.JSON_ENCODING));
                } catch (Exception e) {
                    throw new DistributeException(
                            "task " + task.path("id").asText() + " succeeded but its result cannot be decoded: " + e,
                            200,
                            null,
                            e);
                }
                return new RemoteResult<>(
                        value,
                        task.path("stdout").asText(""),
                        task.path("stderr").asText(""),
                        textOrNull(task.path("worker")),
                        task.path("attempts").asInt(),
                        millis(task.path("queue_wait_ms")),
                        millis(task.path("run_ms")),
                        task.path("id").asText());
            }
            case "FAILED", "CANCELLED" -> throw failure(task);
            default ->
                throw new DistributeException(
                        "task " + task.path("id").asText() + " has not ended (state " + state + ")", 200, null, null);
        }
    }

    /** The exception of a FAILED or CANCELLED task. */
    static TaskFailedException failure(JsonNode task) {
        JsonNode error = task.path("error");
        TaskFailedException.Kind kind =
                kind(error.path("kind").asText(), task.path("state").asText());
        String id = task.path("id").asText();
        JsonNode exception = error.path("exception");
        RemoteException cause = exception.isObject() ? remoteException(exception, 0) : null;
        String message = error.path("message").asText("");
        if (message.isEmpty()) {
            message = cause != null ? "the function threw " + cause : "the task ended " + kind;
        }
        return new TaskFailedException(
                "task " + id + " failed (" + kind + "): " + message,
                kind,
                id,
                error.path("exit_code").isIntegralNumber()
                        ? error.path("exit_code").asInt()
                        : null,
                textOrNull(task.path("worker")),
                task.path("attempts").asInt(),
                task.path("stdout").asText(""),
                task.path("stderr").asText(""),
                cause);
    }

    /** An unknown kind (a newer server) is reported as INVALID rather than lost; its name stays in the message. */
    private static TaskFailedException.Kind kind(String kind, String state) {
        try {
            return TaskFailedException.Kind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            return "CANCELLED".equals(state) ? TaskFailedException.Kind.CANCELLED : TaskFailedException.Kind.INVALID;
        }
    }

    static RemoteException remoteException(JsonNode exception, int depth) {
        JsonNode causeNode = exception.path("cause");
        RemoteException cause =
                causeNode.isObject() && depth < MAX_CAUSES ? remoteException(causeNode, depth + 1) : null;
        JsonNode stack = exception.path("stack");
        StackTraceElement[] frames = new StackTraceElement[stack.size()];
        for (int i = 0; i < frames.length; i++) {
            JsonNode frame = stack.get(i);
            frames[i] = new StackTraceElement(
                    frame.path("class").asText("?"),
                    frame.path("method").asText("?"),
                    textOrNull(frame.path("file")),
                    frame.path("line").asInt(-1));
        }
        return new RemoteException(
                exception.path("class").asText("?"), textOrNull(exception.path("message")), frames, cause);
    }

    /** The RFC 9457 problem of an error answer, or null when {@code body} is not one. */
    public static @Nullable Problem problem(int status, @Nullable JsonNode body) {
        if (body == null || !body.isObject()) {
            return null;
        }
        return new Problem(
                textOrNull(body.path("type")),
                textOrNull(body.path("title")),
                body.path("status").asInt(status),
                textOrNull(body.path("detail")),
                textOrNull(body.path("parameter")),
                textOrNull(body.path("request_id")));
    }

    private static @Nullable String textOrNull(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    private static Duration millis(JsonNode node) {
        return node.isNumber() ? Duration.ofNanos(Math.round(node.asDouble() * 1_000_000)) : Duration.ZERO;
    }
}
