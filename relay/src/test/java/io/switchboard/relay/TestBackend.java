package io.switchboard.relay;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real backend on a loopback port for relay tests: answers with a replaceable handler and records
 * every request it received, body included, as it arrived on the wire.
 */
final class TestBackend implements AutoCloseable {

    /** One request as the backend saw it. */
    record Received(String method, String uri, MultiMap headers, String body) {}

    private final Vertx vertx = Vertx.vertx();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Handler<HttpServerRequest>> handler =
            new AtomicReference<>(req -> req.response().end("ok"));
    private final HttpServer server;

    TestBackend() {
        try {
            server = vertx.createHttpServer()
                    .requestHandler(req -> req.body().onSuccess(body -> {
                        received.add(new Received(
                                req.method().name(),
                                req.uri(),
                                MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
                                body.toString()));
                        handler.get().handle(req);
                    }))
                    .listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("test backend did not start", e);
        }
    }

    /** Replaces how the backend answers. */
    TestBackend answer(Handler<HttpServerRequest> newHandler) {
        handler.set(newHandler);
        return this;
    }

    int port() {
        return server.actualPort();
    }

    /** The base URL with the seed's {@code /api} prefix. */
    URI base() {
        return URI.create("http://127.0.0.1:" + port() + "/api");
    }

    List<Received> received() {
        return received;
    }

    int count() {
        return received.size();
    }

    Received last() {
        return received.get(received.size() - 1);
    }

    Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
