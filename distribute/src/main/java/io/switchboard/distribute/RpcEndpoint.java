package io.switchboard.distribute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.distribute.dispatch.DispatchStats;
import io.switchboard.distribute.dispatch.Language;
import io.switchboard.distribute.dispatch.NotAcceptingException;
import io.switchboard.distribute.dispatch.QueueFullException;
import io.switchboard.distribute.dispatch.TaskSpec;
import io.switchboard.distribute.dispatch.TaskView;
import io.switchboard.distribute.dispatch.WorkerState;
import io.switchboard.distribute.dispatch.WorkerView;
import io.switchboard.distribute.queue.TaskQueue;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /rpc}: the seed's own protocol, so its Python client works unchanged. The body is
 * {@code {"method": "rpc", "params": {"name", "args", "kwargs", "function"}}}, where {@code
 * function} is the cloudpickled function as latin-1 text, JSON-encoded once more; the answer is
 * {@code {"result", "queued_tasks", "workers"}}. Errors keep the seed's shape, {@code {"message",
 * "code", "data"}}, because its client reads them.
 *
 * <p>Java never unpickles anything: the bytes go to a Python worker process as they came.
 */
final class RpcEndpoint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TaskQueue queue;
    private final DistributeConfig config;
    private final Access access;
    private final Vertx vertx;

    RpcEndpoint(TaskQueue queue, DistributeConfig config, Access access, Vertx vertx) {
        this.queue = queue;
        this.config = config;
        this.access = access;
        this.vertx = vertx;
    }

    void handle(RoutingContext ctx) {
        access.check(ctx.request());
        // On a shared queue, Python workers may run on other machines.
        if (config.pythonWorkers() == 0 && config.queue() == null) {
            reply(
                    ctx,
                    503,
                    error(
                            "No Python workers",
                            503,
                            "serve runs no Python workers: install python3-cloudpickle "
                                    + "(or point DISTRIBUTE_PYTHON at an interpreter that has it) and set DISTRIBUTE_PYTHON_WORKERS"));
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(
                    ctx.body().buffer() == null
                            ? new byte[0]
                            : ctx.body().buffer().getBytes());
        } catch (IOException e) {
            reply(ctx, 400, error("Invalid request", 400, "the body is not JSON"));
            return;
        }
        JsonNode params = body == null ? null : body.get("params");
        if (params == null || !params.isObject()) {
            reply(ctx, 400, error("Invalid request", 400, "missing parameter params"));
            return;
        }
        for (String name : new String[] {"name", "args", "kwargs", "function"}) {
            if (!params.has(name)) {
                reply(ctx, 400, error("Invalid request", 400, "missing parameter " + name));
                return;
            }
        }
        if (!params.get("args").isArray()
                || !params.get("kwargs").isObject()
                || !params.get("function").isTextual()) {
            reply(ctx, 400, error("Invalid request", 400, "args is a list, kwargs an object and function a string"));
            return;
        }
        JsonNode clientVersion = params.get("python_version");
        String workerVersion =
                config.pythonCommand() == null ? null : config.pythonCommand().version();
        if (clientVersion != null
                && workerVersion != null
                && !clientVersion.asText().equals(workerVersion)) {
            reply(
                    ctx,
                    400,
                    error(
                            "Invalid request",
                            400,
                            "the client runs Python " + clientVersion.asText() + " but the workers run " + workerVersion
                                    + "; cloudpickle needs the same version on both"));
            return;
        }
        ObjectNode call = JSON.createObjectNode();
        call.set("args", params.get("args"));
        call.set("kwargs", params.get("kwargs"));
        if (clientVersion != null) {
            // Checked again by the worker that runs it, which may be on another machine.
            call.put("python_version", clientVersion.asText());
        }
        TaskSpec spec = new TaskSpec(
                TaskSpec.PYTHON,
                null,
                pickled(params.get("function").textValue()),
                call,
                config.defaultTimeout(),
                config.maxRetries(),
                false);
        Context loop = vertx.getOrCreateContext();
        Future.fromCompletionStage(queue.submit(spec), loop)
                .onSuccess(task -> {
                    var _ = queue.ended(task.id()).thenAccept(view -> loop.runOnContext(ignored -> answer(ctx, view)));
                })
                .onFailure(
                        e -> refused(ctx, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
    }

    private void refused(RoutingContext ctx, Throwable e) {
        switch (e) {
            case QueueFullException full -> {
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
                reply(ctx, 429, error("Queue full", 429, full.getMessage()));
            }
            case NotAcceptingException stopping -> reply(ctx, 503, error("Shutting down", 503, stopping.getMessage()));
            default -> reply(ctx, 503, error("Queue unavailable", 503, e.getMessage()));
        }
    }

    /**
     * The seed's client sends {@code json.dumps(pickled.decode("latin-1"))} as the value: a JSON
     * string inside the JSON string. Clients that skip the second encoding send the latin-1 text
     * directly; both are accepted.
     */
    static byte[] pickled(String function) {
        String latin1 = function;
        if (function.startsWith("\"")) {
            try {
                latin1 = JSON.readValue(function, String.class);
            } catch (IOException e) {
                // not the double encoding after all: the text itself is the latin-1 form
            }
        }
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void answer(RoutingContext ctx, TaskView view) {
        ObjectNode body;
        int status;
        if (view.error() == null) {
            body = JSON.createObjectNode();
            body.set("result", view.result());
            status = 200;
        } else {
            ObjectNode data = JSON.createObjectNode();
            data.put("kind", view.error().kind().name());
            data.put("message", view.error().message());
            if (view.error().exception() != null) {
                data.set("exception", view.error().exception());
            }
            body = error("Function failed", 422, null);
            body.set("data", data);
            status = 422;
        }
        body.put("stdout", view.stdout());
        body.put("stderr", view.stderr());
        int code = status;
        Context loop = vertx.getOrCreateContext();
        Future<DispatchStats> stats = Future.fromCompletionStage(queue.stats(), loop);
        Future<List<WorkerView>> workers = Future.fromCompletionStage(queue.workers(), loop);
        Future.all(stats, workers).onComplete(ignored -> {
            // The seed's fields; if the queue cannot say, the answer still carries the result.
            body.put("queued_tasks", stats.succeeded() ? stats.result().queuedTasks() : 0);
            body.put("workers", workers.succeeded() ? pythonWorkers(workers.result()) : 0);
            reply(ctx, code, body);
        });
    }

    private static long pythonWorkers(List<WorkerView> workers) {
        return workers.stream()
                .filter(w -> w.language() == Language.PYTHON)
                .filter(w -> w.state() == WorkerState.IDLE || w.state() == WorkerState.BUSY)
                .count();
    }

    private static ObjectNode error(String message, int code, @Nullable String data) {
        ObjectNode json = JSON.createObjectNode();
        json.put("message", message);
        json.put("code", code);
        if (data != null) {
            json.put("data", data);
        }
        return json;
    }

    private static void reply(RoutingContext ctx, int status, ObjectNode body) {
        JsonAnswer.send(ctx, status, body);
    }
}
