package io.switchboard.distribute.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.distribute.dispatch.FailureKind;
import io.switchboard.distribute.dispatch.Language;
import io.switchboard.distribute.dispatch.Task;
import io.switchboard.distribute.dispatch.TaskError;
import io.switchboard.distribute.dispatch.TaskResult;
import io.switchboard.distribute.dispatch.TaskSpec;
import io.switchboard.distribute.dispatch.WorkerChannel;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.util.Base64;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's end of one worker link. Reads frames with a {@link RecordParser} (length, then
 * body) on the socket's event loop and turns them into dispatcher events; writes task and bundle
 * frames.
 */
final class WorkerConnection implements WorkerChannel {

    private static final Logger log = LoggerFactory.getLogger(WorkerConnection.class);

    /**
     * A link that has not said hello by then is closed: it is not a worker. Generous, because a
     * worker JVM starting beside dozens of others on a small machine can take seconds to say it.
     */
    private static final long HELLO_TIMEOUT_MS = 30_000;

    private final NetSocket socket;
    private final WorkerLinkServer server;
    private final RecordParser parser = RecordParser.newFixed(4);
    private boolean readingLength = true;
    /** Null until the worker's hello names it. */
    private volatile @Nullable String workerId;

    private volatile boolean killed;
    private volatile @Nullable Long pid;
    private volatile Language language = Language.JAVA;

    WorkerConnection(NetSocket socket, WorkerLinkServer server) {
        this.socket = socket;
        this.server = server;
    }

    void start() {
        parser.handler(this::onRecord);
        socket.handler(parser);
        socket.closeHandler(ignored -> onClose());
        socket.exceptionHandler(e -> log.atDebug().log("worker link error: {}", e.getMessage()));
        server.vertx().setTimer(HELLO_TIMEOUT_MS, ignored -> {
            if (workerId == null) {
                socket.close();
            }
        });
    }

    @Override
    public String workerId() {
        return Objects.requireNonNull(workerId, "the dispatcher learns of a link only after its hello named it");
    }

    @Override
    public Language language() {
        return language;
    }

    @Override
    public void send(Task task, int attempt) {
        TaskSpec spec = task.spec();
        ObjectNode frame = Frames.json().createObjectNode();
        frame.put("type", Message.TASK);
        frame.put("task", task.id());
        frame.put("attempt", attempt);
        frame.put("function", spec.function());
        if (spec.bundle() != null) {
            frame.put("bundle", spec.bundle());
        }
        if (spec.payload() != null) {
            frame.put("payload", Base64.getEncoder().encodeToString(spec.payload()));
        }
        if (spec.args() != null) {
            frame.set("args", spec.args());
        }
        write(frame);
    }

    @Override
    public void kill(String reason) {
        killed = true;
        String id = workerId();
        log.atInfo().addKeyValue("worker", id).log("killing worker {}: {}", id, reason);
        server.killer().kill(id, pid);
        socket.close();
    }

    private void write(ObjectNode frame) {
        byte[] body = Frames.encode(frame);
        socket.write(Buffer.buffer(4 + body.length).appendInt(body.length).appendBytes(body));
    }

    private void onRecord(Buffer record) {
        if (readingLength) {
            int length = record.getInt(0);
            if (length <= 0 || length > Frames.MAX_FRAME_BYTES) {
                log.atWarn().log("closing a worker link that sent a frame of {} bytes", length);
                socket.close();
                return;
            }
            readingLength = false;
            parser.fixedSizeMode(length);
            return;
        }
        readingLength = true;
        parser.fixedSizeMode(4);
        try {
            onFrame(Frames.decode(record.getBytes()));
        } catch (IOException | RuntimeException e) {
            log.atWarn()
                    .addKeyValue("worker", workerId)
                    .log("closing a worker link that sent a bad frame: {}", e.toString());
            socket.close();
        }
    }

    private void onFrame(ObjectNode frame) {
        String type = frame.path("type").asText();
        if (workerId == null) {
            if (!Message.HELLO.equals(type)) {
                throw new IllegalArgumentException("the first frame is a hello, was " + type);
            }
            onHello(frame);
            return;
        }
        switch (type) {
            case Message.RESULT -> onResult(frame);
            case Message.NEED -> onNeed(frame);
            default -> throw new IllegalArgumentException("unexpected frame type " + type);
        }
    }

    private void onHello(ObjectNode frame) {
        String id = frame.path("worker").asText("");
        if (!server.acceptsToken(frame.path("token").asText(null)) || id.isBlank()) {
            log.atWarn().addKeyValue("worker", id).log("refusing a worker link with a bad token or no id");
            socket.close();
            return;
        }
        workerId = id;
        language = "python".equals(frame.path("language").asText()) ? Language.PYTHON : Language.JAVA;
        pid = frame.hasNonNull("pid") ? frame.get("pid").asLong() : null;
        log.atDebug().addKeyValue("worker", id).log("worker {} connected", id);
        server.dispatcher().workerConnected(this, pid);
    }

    private void onNeed(ObjectNode frame) {
        String bundle = frame.path("bundle").asText();
        ObjectNode answer = Frames.json().createObjectNode();
        answer.put("type", Message.BUNDLE);
        answer.put("bundle", bundle);
        if (!server.bundles().shared()) {
            server.bundles()
                    .get(bundle)
                    .ifPresent(jar -> answer.put("jar", Base64.getEncoder().encodeToString(jar)));
            write(answer);
            return;
        }
        // A shared store may fetch the jar from another machine: off the event loop.
        server.vertx()
                .executeBlocking(() -> server.bundles().get(bundle), false)
                .onComplete(got -> {
                    if (got.succeeded()) {
                        got.result()
                                .ifPresent(jar ->
                                        answer.put("jar", Base64.getEncoder().encodeToString(jar)));
                    }
                    write(answer);
                });
    }

    private void onResult(ObjectNode frame) {
        TaskResult result = new TaskResult(
                frame.get("result"),
                frame.path("encoding").asText("json"),
                frame.path("ok").asBoolean() ? null : error(frame.path("error")),
                frame.path("stdout").asText(""),
                frame.path("stderr").asText(""),
                frame.path("run_ns").asLong());
        server.dispatcher()
                .resultArrived(
                        this, frame.path("task").asText(), frame.path("attempt").asInt(), result);
    }

    private static TaskError error(JsonNode error) {
        FailureKind kind;
        try {
            kind = FailureKind.valueOf(error.path("kind").asText("USER"));
        } catch (IllegalArgumentException e) {
            kind = FailureKind.USER;
        }
        JsonNode exception = error.get("exception");
        return new TaskError(kind, error.path("message").asText(""), null, exception);
    }

    private void onClose() {
        String id = workerId;
        if (id == null) {
            return;
        }
        if (server.isSupervised(id)) {
            // The supervisor reports the loss with the exit code once the process is gone; a
            // process that lost its link but lives on is ended here so that it does.
            if (!killed) {
                server.killer().kill(id, pid);
            }
        } else {
            server.dispatcher().workerLost(id, this, null);
        }
    }
}
