package io.switchboard.relay.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's backend client against real servers on loopback (Vert.x's HTTP server, and a raw
 * TCP server for what it will not send): keep-alive reuse, connections the backend closes, every
 * way a body can be delimited, HEAD, interim answers, timeouts, refused connections, and
 * back-pressure both ways.
 */
class BackendClientTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Vertx serverVertx = Vertx.vertx();
    private final Vertx clientVertx = Vertx.vertx();
    private final Context context = clientVertx.getOrCreateContext();
    private final Set<HttpConnection> connectionsSeen = ConcurrentHashMap.newKeySet();
    private BackendClient client = client(Duration.ofSeconds(5), 8);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        await(clientVertx.close());
        await(serverVertx.close());
    }

    private BackendClient client(Duration responseTimeout, int maxConnections) {
        return new BackendClient(
                clientVertx,
                new ClientSettings(Duration.ofSeconds(2), responseTimeout, Duration.ofSeconds(4), maxConnections));
    }

    private int serve(io.vertx.core.Handler<HttpServerRequest> handler) {
        HttpServer server = serverVertx.createHttpServer().requestHandler(req -> {
            connectionsSeen.add(req.connection());
            handler.handle(req);
        });
        return await(server.listen(0, "127.0.0.1")).actualPort();
    }

    private int serveRaw(String answer) {
        NetServer server = serverVertx
                .createNetServer()
                .connectHandler(socket -> socket.handler(request -> {
                    socket.write(answer).onComplete(written -> socket.close());
                }));
        return await(server.listen(0, "127.0.0.1")).actualPort();
    }

    private static BackendCall get(int port, String uri) {
        return call(HttpMethod.GET, port, uri, null);
    }

    private static BackendCall call(
            HttpMethod method, int port, String uri, io.vertx.core.streams.ReadStream<Buffer> body) {
        return new BackendCall(
                method, new Address("127.0.0.1", port, false), uri, MultiMap.caseInsensitiveMultiMap(), body);
    }

    /** Sends on the client's event loop, as the relay does, and waits for the whole answer. */
    private Answer fetch(BackendCall call) {
        return await(onContext(() -> client.send(call)
                .compose(response -> response.body().map(body -> new Answer(response, body.toString())))));
    }

    private record Answer(BackendResponse response, String body) {}

    private <T> Future<T> onContext(Supplier<Future<T>> action) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> action.get().onComplete(promise));
        return promise.future();
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Throwable failureOf(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void sequentialRequestsReuseOneKeepAliveConnection() {
        int port = serve(req -> req.response().end("hello " + req.uri()));

        Answer first = fetch(get(port, "/a?x=1"));
        Answer second = fetch(get(port, "/b"));

        assertThat(first.body()).isEqualTo("hello /a?x=1");
        assertThat(second.body()).isEqualTo("hello /b");
        assertThat(first.response().statusCode()).isEqualTo(200);
        assertThat(connectionsSeen).hasSize(1);
        assertThat(client.openConnections()).isEqualTo(1);
    }

    @Test
    void theRequestCarriesHostAndTheGivenHeadersInOrder() {
        AtomicReferenceHolder seen = new AtomicReferenceHolder();
        int port = serve(req -> {
            seen.headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
            req.response().end();
        });
        BackendCall call = get(port, "/h");
        call.headers().add("X-One", "1").add("X-Two", "2").add("X-One", "3");

        fetch(call);

        assertThat(seen.headers.get("host")).isEqualTo("127.0.0.1:" + port);
        assertThat(seen.headers.getAll("x-one")).containsExactly("1", "3");
        assertThat(seen.headers.get("x-two")).isEqualTo("2");
    }

    private static final class AtomicReferenceHolder {
        volatile MultiMap headers;
    }

    @Test
    void aConnectionTheBackendClosesAfterAnsweringIsNotReused() {
        int port = serve(req -> req.response().putHeader("Connection", "close").end("bye"));

        assertThat(fetch(get(port, "/1")).body()).isEqualTo("bye");
        assertThat(fetch(get(port, "/2")).body()).isEqualTo("bye");

        assertThat(connectionsSeen).hasSize(2);
        Awaitility.await().atMost(WAIT).until(() -> client.openConnections() == 0);
    }

    @Test
    void anIdleConnectionTheBackendClosesIsDroppedFromThePool() {
        int port = serve(req -> req.response().end("ok"));
        fetch(get(port, "/1"));

        connectionsSeen.forEach(HttpConnection::close);
        Awaitility.await().atMost(WAIT).until(() -> client.openConnections() == 0);

        assertThat(fetch(get(port, "/2")).body()).isEqualTo("ok");
        assertThat(connectionsSeen).hasSize(2);
    }

    @Test
    void aChunkedBodyIsReadToItsEnd() {
        int port = serve(req -> {
            HttpServerResponse response = req.response().setChunked(true);
            response.write("one, ");
            response.write("two, ");
            response.end("three");
        });

        Answer answer = fetch(get(port, "/chunked"));

        assertThat(answer.body()).isEqualTo("one, two, three");
        assertThat(answer.response().getHeader("transfer-encoding")).isEqualTo("chunked");
    }

    @Test
    void aBodyDelimitedByTheConnectionClosingIsReadToTheClose() {
        int port = serveRaw("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");

        Answer answer = fetch(get(port, "/close-delimited"));

        assertThat(answer.body()).isEqualTo("until the end");
        Awaitility.await().atMost(WAIT).until(() -> client.openConnections() == 0);
    }

    @Test
    void aHeadAnswerHasNoBodyWhateverItsContentLengthAndTheConnectionIsReused() {
        int port = serve(req -> {
            if (req.method().equals(HttpMethod.HEAD)) {
                req.response().putHeader("Content-Length", "1000").end();
            } else {
                req.response().end("after head");
            }
        });

        Answer head = fetch(call(HttpMethod.HEAD, port, "/head", null));
        Answer after = fetch(get(port, "/get"));

        assertThat(head.response().getHeader("content-length")).isEqualTo("1000");
        assertThat(head.body()).isEmpty();
        assertThat(after.body()).isEqualTo("after head");
        assertThat(connectionsSeen).hasSize(1);
    }

    @Test
    void interimAnswersAreSkippedForTheFinalOne() {
        int port = serve(req -> req.response()
                .writeEarlyHints(MultiMap.caseInsensitiveMultiMap().add("Link", "</style.css>; rel=preload"))
                .onComplete(sent -> req.response().setStatusCode(201).end("final")));

        Answer answer = fetch(get(port, "/hints"));

        assertThat(answer.response().statusCode()).isEqualTo(201);
        assertThat(answer.body()).isEqualTo("final");
        assertThat(fetch(get(port, "/again")).body()).isEqualTo("final");
    }

    @Test
    void aBackendThatSendsNothingTimesOutAndItsConnectionIsClosed() {
        client = client(Duration.ofMillis(200), 8);
        int port = serve(req -> {});

        Throwable failure = failureOf(onContext(() -> client.send(get(port, "/silent"))));

        assertThat(failure).isInstanceOf(BackendIoException.class);
        assertThat(((BackendIoException) failure).timeout()).isTrue();
        Awaitility.await().atMost(WAIT).until(() -> client.openConnections() == 0);
    }

    @Test
    void aBodyThatStopsComingTimesOut() {
        client = client(Duration.ofMillis(200), 8);
        int port = serve(req -> req.response().setChunked(true).write("a start"));

        BackendResponse response = await(onContext(() -> client.send(get(port, "/stalls"))));
        Throwable failure = failureOf(onContext(response::body));

        assertThat(((BackendIoException) failure).timeout()).isTrue();
    }

    @Test
    void aRefusedConnectionFailsAtOnceAndIsNoTimeout() {
        int port = await(
                        serverVertx.createHttpServer().requestHandler(req -> {}).listen(0, "127.0.0.1"))
                .actualPort();
        await(serverVertx.close());

        Throwable failure = failureOf(onContext(() -> client.send(get(port, "/refused"))));

        assertThat(failure).isInstanceOf(BackendIoException.class);
        assertThat(((BackendIoException) failure).timeout()).isFalse();
        assertThat(client.openConnections()).isZero();
    }

    @Test
    void aPausedResponseStopsTheBackendUntilItIsResumed() {
        long total = 64L * 1024 * 1024;
        Buffer piece = Buffer.buffer(new byte[64 * 1024]);
        AtomicLong written = new AtomicLong();
        AtomicBoolean blocked = new AtomicBoolean();
        int port = serve(req -> {
            HttpServerResponse response = req.response().putHeader("Content-Length", Long.toString(total));
            new Object() {
                void pump() {
                    while (written.get() < total && !response.writeQueueFull()) {
                        response.write(piece);
                        written.addAndGet(piece.length());
                    }
                    if (written.get() >= total) {
                        response.end();
                    } else {
                        blocked.set(true);
                        response.drainHandler(v -> pump());
                    }
                }
            }.pump();
        });

        BackendResponse response = await(onContext(() -> client.send(get(port, "/large"))));
        AtomicLong read = new AtomicLong();
        context.runOnContext(v -> {
            response.handler(chunk -> read.addAndGet(chunk.length()));
            response.pause();
        });
        Awaitility.await().atMost(WAIT).untilTrue(blocked);
        // Without back-pressure the whole body would cross loopback in well under this period.
        Awaitility.await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> written.get() < total / 4);

        context.runOnContext(v -> response.resume());
        await(onContext(response::end));
        assertThat(read.get()).isEqualTo(total);
    }

    @Test
    void aRequestBodyIsStreamedChunkedWhenItsLengthIsUnknown() throws Exception {
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        Arrays.fill(bytes, (byte) 'z');
        Path file = Files.write(dir.resolve("body"), bytes);
        AtomicReferenceHolder seen = new AtomicReferenceHolder();
        int port = serve(req -> {
            seen.headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
            req.body().onSuccess(body -> req.response().end(Integer.toString(body.length())));
        });

        Answer answer = await(onContext(() -> clientVertx
                .fileSystem()
                .open(file.toString(), new OpenOptions().setRead(true))
                .compose(body -> {
                    body.pause();
                    return client.send(call(HttpMethod.POST, port, "/upload", body));
                })
                .compose(response -> response.body().map(body -> new Answer(response, body.toString())))));

        assertThat(answer.body()).isEqualTo(Integer.toString(bytes.length));
        assertThat(seen.headers.get("transfer-encoding")).isEqualTo("chunked");
        assertThat(fetch(get(port, "/after")).body()).isEqualTo("0");
        assertThat(connectionsSeen).hasSize(1);
    }

    @Test
    void aRequestBodyWithItsLengthIsSentAsIs() throws Exception {
        Path file = Files.writeString(dir.resolve("small"), "twelve bytes");
        AtomicReferenceHolder seen = new AtomicReferenceHolder();
        int port = serve(req -> {
            seen.headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
            req.body().onSuccess(body -> req.response().end(body));
        });

        Answer answer = await(onContext(() -> clientVertx
                .fileSystem()
                .open(file.toString(), new OpenOptions().setRead(true))
                .compose(body -> {
                    body.pause();
                    BackendCall call = call(HttpMethod.PUT, port, "/put", body);
                    call.headers().set("Content-Length", "12");
                    return client.send(call);
                })
                .compose(response -> response.body().map(body -> new Answer(response, body.toString())))));

        assertThat(answer.body()).isEqualTo("twelve bytes");
        assertThat(seen.headers.get("content-length")).isEqualTo("12");
        assertThat(seen.headers.contains("transfer-encoding")).isFalse();
    }

    @Test
    void requestsBeyondTheMaximumWaitForAConnectionToComeBack() {
        client = client(Duration.ofSeconds(5), 1);
        int port = serve(req -> serverVertx.setTimer(50, t -> req.response().end(req.path())));

        Future<String> first = onContext(() ->
                client.send(get(port, "/first")).compose(BackendResponse::body).map(Buffer::toString));
        Future<String> second = onContext(() ->
                client.send(get(port, "/second")).compose(BackendResponse::body).map(Buffer::toString));

        assertThat(await(first)).isEqualTo("/first");
        assertThat(await(second)).isEqualTo("/second");
        assertThat(connectionsSeen).hasSize(1);
    }
}
