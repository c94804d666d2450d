package io.switchboard.relay.internal.client;

import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import org.jspecify.annotations.Nullable;

/**
 * One request through the client, from the wait for a connection to the end of the response.
 * Carries the caller's Vert.x context, so that everything the caller sees happens on it, and the
 * one timer of the request (waiting for a connection, then the response timeout).
 *
 * <p>Threads: only the event loop of the caller's context touches it.
 */
final class Exchange {

    final BackendCall call;
    final ContextInternal context;
    private final PromiseInternal<BackendResponse> head;
    private @Nullable BackendResponse response;
    /** The pending timeout: waiting in the pool for a connection, or the response timeout. */
    @Nullable
    ScheduledFuture<?> timer;
    /** {@link System#nanoTime()} of the last byte read or written for this request. */
    long lastActivity;
    /** The request (with its body, if any) has been written to its end. */
    boolean requestWritten;
    /** Whether the backend lets the connection live on after this response. */
    boolean keepAlive = true;
    /** Between an interim (1xx) response head and its end: those are read and dropped. */
    boolean interim;

    Exchange(BackendCall call, ContextInternal context) {
        this.call = call;
        this.context = context;
        this.head = context.promise();
    }

    Future<BackendResponse> future() {
        return head.future();
    }

    @Nullable
    BackendResponse response() {
        return response;
    }

    void answered(BackendResponse response) {
        this.response = response;
        head.tryComplete(response);
    }

    /** Fails the request: the caller's future when no head came yet, else the body being read. */
    void fail(Throwable cause) {
        cancelTimer();
        BackendResponse r = response;
        if (r == null) {
            head.tryFail(cause);
        } else {
            r.fail(cause);
        }
    }

    void cancelTimer() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
            timer = null;
        }
    }

    /** Runs {@code action} with the caller's context current, as Vert.x does for its own callbacks. */
    void inContext(Runnable action) {
        ContextInternal previous = context.beginDispatch();
        try {
            action.run();
        } finally {
            context.endDispatch(previous);
        }
    }
}
