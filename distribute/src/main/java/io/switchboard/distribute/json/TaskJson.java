package io.switchboard.distribute.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.distribute.dispatch.DispatchStats;
import io.switchboard.distribute.dispatch.FailureKind;
import io.switchboard.distribute.dispatch.Language;
import io.switchboard.distribute.dispatch.TaskError;
import io.switchboard.distribute.dispatch.TaskState;
import io.switchboard.distribute.dispatch.TaskView;
import io.switchboard.distribute.dispatch.WorkerState;
import io.switchboard.distribute.dispatch.WorkerView;
import java.time.Instant;
import java.util.List;

/**
 * The JSON shapes of the HTTP API (documented in the module README and {@code /openapi}). The same
 * shapes are what JetStream keeps of tasks and worker slots, so they are read back here too.
 */
public final class TaskJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TaskJson() {}

    public static ObjectNode task(TaskView view) {
        ObjectNode json = NODES.objectNode();
        json.put("id", view.id());
        json.put("state", view.state().name());
        json.put("function", view.function());
        json.put("attempts", view.attempts());
        json.put("worker", view.worker());
        json.put("submitted_at", view.submittedAt().toString());
        millis(json, "queue_wait_ms", view.queueWaitNanos());
        millis(json, "run_ms", view.runNanos());
        if (view.state().ended()) {
            if (view.error() == null) {
                json.set("result", view.result() == null ? NODES.nullNode() : view.result());
                json.put("result_encoding", view.resultEncoding());
            }
            json.put("stdout", view.stdout() == null ? "" : view.stdout());
            json.put("stderr", view.stderr() == null ? "" : view.stderr());
        }
        if (view.error() != null) {
            json.set("error", error(view.error()));
        }
        return json;
    }

    private static ObjectNode error(TaskError error) {
        ObjectNode json = NODES.objectNode();
        json.put("kind", error.kind().name());
        json.put("message", error.message());
        if (error.exitCode() != null) {
            json.put("exit_code", error.exitCode());
        }
        if (error.exception() != null) {
            json.set("exception", error.exception());
        }
        return json;
    }

    private static void millis(ObjectNode json, String field, long nanos) {
        if (nanos < 0) {
            json.putNull(field);
        } else {
            json.put(field, Math.round(nanos / 1_000.0) / 1_000.0);
        }
    }

    public static ObjectNode stats(DispatchStats stats) {
        ObjectNode json = NODES.objectNode();
        json.put("queued_tasks", stats.queuedTasks());
        json.put("peak_queued_tasks", stats.peakQueuedTasks());
        json.put("workers", stats.workers());
        json.put("idle_workers", stats.idleWorkers());
        json.put("busy_workers", stats.busyWorkers());
        json.put("running_tasks", stats.runningTasks());
        json.put("submitted", stats.submitted());
        json.put("succeeded", stats.succeeded());
        json.put("failed", stats.failed());
        json.put("cancelled", stats.cancelled());
        return json;
    }

    public static ObjectNode workers(List<WorkerView> workers) {
        ObjectNode json = NODES.objectNode();
        var array = json.putArray("workers");
        for (WorkerView worker : workers) {
            ObjectNode w = array.addObject();
            w.put("id", worker.id());
            w.put("state", worker.state().name());
            if (worker.pid() == null) {
                w.putNull("pid");
            } else {
                w.put("pid", worker.pid());
            }
            w.put("task", worker.task());
            w.put("tasks_completed", worker.tasksCompleted());
            w.put("busy_seconds", Math.round(worker.busySeconds() * 1000) / 1000.0);
            w.put("restarts", worker.restarts());
            if (worker.lastReplacementMillis() >= 0) {
                w.put("last_replacement_ms", Math.round(worker.lastReplacementMillis() * 10) / 10.0);
            }
            w.put("local", worker.supervised());
            w.put("language", worker.language().name().toLowerCase(java.util.Locale.ROOT));
        }
        return json;
    }

    /** Reads what {@link #task} wrote. */
    public static TaskView readTask(JsonNode json) {
        JsonNode error = json.get("error");
        return new TaskView(
                json.get("id").asText(),
                TaskState.valueOf(json.get("state").asText()),
                json.get("function").asText(),
                json.path("attempts").asInt(),
                json.hasNonNull("worker") ? json.get("worker").asText() : null,
                Instant.parse(json.get("submitted_at").asText()),
                nanos(json.get("queue_wait_ms")),
                nanos(json.get("run_ms")),
                json.get("result"),
                json.hasNonNull("result_encoding") ? json.get("result_encoding").asText() : null,
                json.hasNonNull("stdout") ? json.get("stdout").asText() : null,
                json.hasNonNull("stderr") ? json.get("stderr").asText() : null,
                error == null || error.isNull() ? null : readError(error));
    }

    private static TaskError readError(JsonNode json) {
        return new TaskError(
                FailureKind.valueOf(json.get("kind").asText()),
                json.path("message").asText(),
                json.hasNonNull("exit_code") ? json.get("exit_code").asInt() : null,
                json.get("exception"));
    }

    private static long nanos(JsonNode millis) {
        return millis == null || millis.isNull() ? -1 : Math.round(millis.asDouble() * 1_000_000);
    }

    /**
     * Reads what {@link #workers} wrote, naming each slot after its node ({@code node/w-1}): slot
     * ids repeat across machines.
     */
    public static List<WorkerView> readWorkers(String node, JsonNode json) {
        List<WorkerView> workers = new java.util.ArrayList<>();
        for (JsonNode w : json.path("workers")) {
            workers.add(new WorkerView(
                    node + "/" + w.get("id").asText(),
                    WorkerState.valueOf(w.get("state").asText()),
                    w.hasNonNull("pid") ? w.get("pid").asLong() : null,
                    w.hasNonNull("task") ? w.get("task").asText() : null,
                    w.path("tasks_completed").asLong(),
                    w.path("busy_seconds").asDouble(),
                    w.path("restarts").asLong(),
                    w.hasNonNull("last_replacement_ms")
                            ? w.get("last_replacement_ms").asDouble()
                            : -1,
                    w.path("local").asBoolean(),
                    "python".equals(w.path("language").asText()) ? Language.PYTHON : Language.JAVA));
        }
        return workers;
    }
}
