package io.switchboard.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.platform.observability.Tracing;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, defect 12: a hedge fired at the hedge point reaches the backend even when the first
 * answer arrives a moment later and the run cancels the hedge before its connection is ready.
 */
class Issue14Test {

    private final Vertx vertx = Vertx.vertx();
    private final AtomicInteger received = new AtomicInteger();
    private HttpServer backend;

    @BeforeEach
    void startBackend() throws Exception {
        backend = vertx.createHttpServer()
                .requestHandler(request -> {
                    received.incrementAndGet();
                    request.response().end("{\"time\": 1}");
                })
                .listen(0)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anAttemptCancelledWhileItsConnectionIsStillOpeningStillReachesTheBackend() throws Exception {
        HttpUpstream<JsonObject> upstream = new HttpUpstream<>(
                vertx,
                vertx.createHttpClient(),
                URI.create("http://127.0.0.1:" + backend.actualPort() + "/api/work"),
                Duration.ofSeconds(5),
                ResponseCheck.workTime(),
                Tracing.disabled());
        Context loop = vertx.getOrCreateContext();
        CompletableFuture<Future<JsonObject>> started = new CompletableFuture<>();

        // Start and cancel in the same event-loop turn: the pool has no connection yet, so the
        // cancel always comes before the connection, as for a hedge whose run ended 1 ms later.
        loop.runOnContext(ignored -> {
            Upstream.Call<JsonObject> call = upstream.start(new Attempt("r1", 2, upstream.target()));
            call.cancel();
            started.complete(call.result());
        });
        Future<JsonObject> result = started.get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> received.get() == 1);
        assertThat(result.failed()).isTrue();
        assertThat(result.cause()).isInstanceOf(AttemptFailedException.class).hasMessage("cancelled");
        assertThat(upstream.inFlight()).isZero();
    }
}
