package io.switchboard.distribute;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.distribute.dispatch.DispatchStats;
import io.switchboard.distribute.dispatch.TaskError;
import io.switchboard.distribute.dispatch.TaskView;
import io.switchboard.distribute.dispatch.WorkerView;
import java.util.List;

/** The JSON shapes of the HTTP API (documented in the module README and {@code /openapi}). */
final class TaskJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TaskJson() {}

    static ObjectNode task(TaskView view) {
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

    static ObjectNode stats(DispatchStats stats) {
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

    static ObjectNode workers(List<WorkerView> workers) {
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
        }
        return json;
    }
}
