package io.switchboard.distribute.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.distribute.client.StubServer.Reply;
import io.switchboard.distribute.client.StubServer.Request;
import io.switchboard.distribute.client.internal.FakeWorker;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stub script that behaves like the server for the happy paths: it stores bundles, runs "java"
 * tasks with a {@link FakeWorker} (the bundle alone plus the client's package) and answers 200
 * with the ended task; "echo" answers its arguments. Tests wrap it to inject failures.
 */
final class FakeDistribute {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, byte[]> bundles = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    Reply answer(Request request) {
        String path = request.path();
        if (path.startsWith("/distribute/bundles/")) {
            String id = path.substring("/distribute/bundles/".length());
            return switch (request.method()) {
                case "HEAD" -> Reply.empty(bundles.containsKey(id) ? 200 : 404);
                case "PUT" -> Reply.empty(bundles.put(id, request.body()) == null ? 201 : 200);
                default -> Reply.empty(405);
            };
        }
        if (path.equals("/distribute/tasks") && request.method().equals("POST")) {
            return Reply.json(200, run(request).toString());
        }
        return Reply.empty(404);
    }

    /** Runs the task of a POST and gives the ended task's JSON. */
    ObjectNode run(Request request) {
        try {
            JsonNode body = JSON.readTree(request.body());
            ObjectNode task = task(body.path("function").asText());
            if (!body.path("function").asText().equals("java")) {
                return succeeded(task, body.path("args"), "json");
            }
            byte[] jar = bundles.get(body.path("bundle").asText());
            if (jar == null) {
                throw new IllegalStateException(
                        "unknown bundle " + body.path("bundle").asText());
            }
            byte[] payload = Base64.getDecoder().decode(body.path("payload").asText());
            Object value;
            try {
                value = FakeWorker.run(jar, payload);
            } catch (Exception e) {
                task.put("state", "FAILED");
                ObjectNode error = task.putObject("error");
                error.put("kind", "USER");
                error.put("message", "the function threw " + e);
                error.set("exception", exception(e));
                return task;
            }
            String result = Base64.getEncoder().encodeToString(FakeWorker.serialize(value));
            return succeeded(task, JSON.getNodeFactory().textNode(result), "java-serialization");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    ObjectNode task(String function) {
        ObjectNode task = JSON.createObjectNode();
        task.put("id", "t" + ids.incrementAndGet());
        task.put("state", "QUEUED");
        task.put("function", function);
        task.put("attempts", 1);
        task.put("worker", "w-1");
        return task;
    }

    private static ObjectNode succeeded(ObjectNode task, JsonNode result, String encoding) {
        task.put("state", "SUCCEEDED");
        task.set("result", result);
        task.put("result_encoding", encoding);
        task.put("queue_wait_ms", 0.25);
        task.put("run_ms", 1.5);
        task.put("stdout", "out");
        task.put("stderr", "");
        return task;
    }

    /** The contract's shape of an exception, causes included. */
    static ObjectNode exception(Throwable e) {
        ObjectNode node = JSON.createObjectNode();
        node.put("class", e.getClass().getName());
        node.put("message", e.getMessage());
        ArrayNode stack = node.putArray("stack");
        for (StackTraceElement frame : e.getStackTrace()) {
            ObjectNode f = stack.addObject();
            f.put("class", frame.getClassName());
            f.put("method", frame.getMethodName());
            f.put("file", frame.getFileName());
            f.put("line", frame.getLineNumber());
        }
        if (e.getCause() != null) {
            node.set("cause", exception(e.getCause()));
        }
        return node;
    }
}
