package io.switchboard.distribute.worker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A throwable as JSON: {@code {class, message, stack: [{class, method, file, line}], cause}}. The
 * worker's own frames below the user's code are cut, so the remote stack reads like a local one.
 */
final class ExceptionJson {

    /** Frames kept per throwable. */
    private static final int MAX_FRAMES = 200;

    /** Causes followed; a cyclic or very deep chain stops here. */
    private static final int MAX_CAUSES = 10;

    private static final String WORKER_PACKAGE = "io.switchboard.distribute.worker.";

    private ExceptionJson() {}

    static ObjectNode of(Throwable throwable) {
        return of(throwable, 0);
    }

    // A throwable that is its own cause ends the chain: identity, as Throwable itself checks it.
    @SuppressWarnings("ReferenceEquality")
    private static ObjectNode of(Throwable throwable, int depth) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("class", throwable.getClass().getName());
        json.put("message", throwable.getMessage());
        ArrayNode stack = json.putArray("stack");
        int kept = 0;
        for (StackTraceElement frame : throwable.getStackTrace()) {
            if (frame.getClassName().startsWith(WORKER_PACKAGE) || kept++ >= MAX_FRAMES) {
                break;
            }
            ObjectNode element = stack.addObject();
            element.put("class", frame.getClassName());
            element.put("method", frame.getMethodName());
            element.put("file", frame.getFileName());
            element.put("line", frame.getLineNumber());
        }
        Throwable cause = throwable.getCause();
        if (cause != null && cause != throwable && depth < MAX_CAUSES) {
            json.set("cause", of(cause, depth + 1));
        }
        return json;
    }
}
