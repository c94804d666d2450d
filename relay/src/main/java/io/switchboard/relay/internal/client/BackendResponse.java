package io.switchboard.relay.internal.client;

import io.netty.handler.codec.http.HttpResponse;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * A backend's answer: status and headers as decoded (the decoder's own map, not a copy), and the
 * body as a {@link ReadStream} with back-pressure.
 *
 * <p>Back-pressure: while the stream is paused, or nobody has set a data handler yet, arriving
 * pieces are queued and the connection stops reading from its socket, so a slow client slows the
 * backend down instead of filling memory. The end is announced only when everything before it has
 * been handed out.
 *
 * <p>Threads: only the event loop of its connection touches it.
 */
public final class BackendResponse implements ReadStream<Buffer> {

    private final int status;
    private final String reason;
    private final MultiMap headers;
    private final Connection connection;
    private final ArrayDeque<Buffer> queued = new ArrayDeque<>(2);
    private final Promise<Void> end = Promise.promise();
    private long demand = Long.MAX_VALUE;
    private @Nullable Handler<Buffer> handler;
    private @Nullable Handler<Void> endHandler;
    private @Nullable Handler<Throwable> exceptionHandler;
    /** The last piece arrived (it may still be queued). */
    private boolean received;

    BackendResponse(HttpResponse head, Connection connection) {
        this.status = head.status().code();
        this.reason = head.status().reasonPhrase();
        // The decoder makes Vert.x header maps (see Connection): the relay reads them as they are.
        this.headers = (MultiMap) head.headers();
        this.connection = connection;
    }

    public int statusCode() {
        return status;
    }

    public String statusMessage() {
        return reason;
    }

    public MultiMap headers() {
        return headers;
    }

    public @Nullable String getHeader(String name) {
        return headers.get(name);
    }

    /** Completes when the body has been handed out to its end, fails when it was cut short. */
    public Future<Void> end() {
        return end.future();
    }

    /** The whole body; reads the stream, so call it instead of setting handlers. */
    public Future<Buffer> body() {
        if (end.future().isComplete()) {
            return end.future().map(done -> Buffer.buffer());
        }
        Buffer body = Buffer.buffer();
        handler(body::appendBuffer);
        resume();
        return end.future().map(done -> body);
    }

    @Override
    public BackendResponse handler(@Nullable Handler<Buffer> handler) {
        this.handler = handler;
        if (handler != null) {
            drain();
        }
        return this;
    }

    @Override
    public BackendResponse endHandler(@Nullable Handler<Void> endHandler) {
        this.endHandler = endHandler;
        return this;
    }

    @Override
    public BackendResponse exceptionHandler(@Nullable Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    @Override
    public BackendResponse pause() {
        demand = 0;
        return this;
    }

    @Override
    public BackendResponse resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public BackendResponse fetch(long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("fetch amount must not be negative, was " + amount);
        }
        demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
        drain();
        return this;
    }

    // ---- from the connection ----

    void data(Buffer piece) {
        if (queued.isEmpty() && demand > 0 && handler != null) {
            emit(piece);
        } else {
            queued.add(piece);
            // Reading stops only when something waits: pause and resume without data cost nothing.
            connection.readSocket(false);
        }
    }

    void last() {
        received = true;
        drain();
    }

    void fail(Throwable cause) {
        if (end.tryFail(cause)) {
            queued.clear();
            Handler<Throwable> h = exceptionHandler;
            if (h != null) {
                h.handle(cause);
            }
        }
    }

    private void emit(Buffer piece) {
        if (demand != Long.MAX_VALUE) {
            demand--;
        }
        Handler<Buffer> h = handler;
        if (h != null) {
            h.handle(piece);
        }
    }

    private void drain() {
        while (!queued.isEmpty() && demand > 0 && handler != null) {
            emit(queued.poll());
        }
        if (!queued.isEmpty()) {
            return;
        }
        if (received) {
            if (demand > 0 && !end.future().isComplete()) {
                end.tryComplete();
                Handler<Void> h = endHandler;
                if (h != null) {
                    h.handle(null);
                }
            }
        } else if (demand > 0) {
            connection.readSocket(true);
        }
    }
}
