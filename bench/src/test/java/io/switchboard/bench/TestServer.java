package io.switchboard.bench;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;

/** A real HTTP server on a free loopback port, answering with the handler a test gives. */
final class TestServer implements AutoCloseable {

    final Vertx vertx;
    private final HttpServer server;

    private TestServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    static TestServer start(Handler<HttpServerRequest> handler) {
        Vertx vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer()
                .requestHandler(handler)
                .listen(0, "127.0.0.1")
                .await();
        return new TestServer(vertx, server);
    }

    static TestServer ok() {
        return start(request -> request.response().end("hello"));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.actualPort() + path);
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
