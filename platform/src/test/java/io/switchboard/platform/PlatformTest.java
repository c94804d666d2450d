package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.platform.problem.ProblemException;
import io.switchboard.platform.testing.RunningPlatform;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlatformTest {

    /** Parks requests to /slow until the test releases them, to hold requests in flight. */
    private final Promise<Void> release = Promise.promise();

    private final CountDownLatch slowArrived = new CountDownLatch(1);

    private final Service testService = new Service() {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public void mount(Router router, ServiceContext context) {
            router.get("/items/:id").handler(ctx -> ctx.json(new JsonObject().put("id", ctx.pathParam("id"))));
            router.post("/echo")
                    .handler(context.bodyHandler())
                    .handler(ctx -> ctx.end(ctx.body().asString()));
            router.get("/bad").handler(ctx -> {
                throw ProblemException.invalidParameter("q", "q must be positive");
            });
            router.get("/boom").handler(ctx -> {
                throw new IllegalStateException("secret internal detail");
            });
            router.get("/slow").handler(ctx -> {
                slowArrived.countDown();
                release.future().onComplete(done -> ctx.end("done"));
            });
        }
    };

    private RunningPlatform server;

    @AfterEach
    void stop() {
        release.tryComplete();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void echoesTheClientRequestIdOrGeneratesOne() {
        server = RunningPlatform.start(testService);

        assertThat(server.get("/items/1", "X-Request-Id", "abc-123").headers().firstValue("X-Request-Id"))
                .contains("abc-123");
        assertThat(server.get("/items/1").headers().firstValue("X-Request-Id"))
                .hasValueSatisfying(id -> assertThat(id).hasSize(36));
        assertThat(server.get("/items/1", "X-Request-Id", "bad id\twith spaces")
                        .headers()
                        .firstValue("X-Request-Id"))
                .hasValueSatisfying(id -> assertThat(id).doesNotContain(" "));
    }

    @Test
    void unknownRouteIsA404Problem() {
        server = RunningPlatform.start(testService);

        HttpResponse<String> response = server.get("/nowhere");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getInteger("status")).isEqualTo(404);
        assertThat(problem.getString("detail")).contains("/nowhere");
        assertThat(problem.getString("request_id")).isNotBlank();
    }

    @Test
    void wrongMethodIsA405Problem() {
        server = RunningPlatform.start(testService);

        HttpResponse<String> response = server.send("DELETE", "/items/1", null);

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(new JsonObject(response.body()).getString("detail")).contains("DELETE");
    }

    @Test
    void bodyOverTheLimitIsA413Problem() {
        server = RunningPlatform.start(ServerConfig.forTests(), Clock.systemUTC(), testService);

        HttpResponse<String> small = server.send("POST", "/echo", "hello");
        HttpResponse<String> large = server.send("POST", "/echo", "x".repeat((1 << 20) + 1));

        assertThat(small.body()).isEqualTo("hello");
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(large.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Test
    void problemExceptionNamesTheParameter() {
        server = RunningPlatform.start(testService);

        HttpResponse<String> response = server.get("/bad");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getString("parameter")).isEqualTo("q");
        assertThat(problem.getString("detail")).isEqualTo("q must be positive");
        assertThat(problem.getString("type")).endsWith("/invalid-parameter");
    }

    @Test
    void unexpectedFailureIsA500WithoutInternalDetails() {
        server = RunningPlatform.start(testService);

        HttpResponse<String> response = server.get("/boom");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("secret").doesNotContain("IllegalStateException");
    }

    @Test
    void requestsBeyondTheGlobalLimitGet503WithRetryAfterWhileHealthStaysReachable() throws Exception {
        server = RunningPlatform.start(
                ServerConfig.forTests().withMaxConcurrentRequests(1), Clock.systemUTC(), testService);
        CompletableFuture<HttpResponse<String>> parked =
                server.client().sendAsync(server.request("/slow").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(slowArrived.await(10, TimeUnit.SECONDS)).isTrue();

        HttpResponse<String> refused = server.get("/items/2");
        HttpResponse<String> health = server.get("/health/live");
        release.complete();

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(parked.get(10, TimeUnit.SECONDS).body()).isEqualTo("done");
        assertThat(server.get("/items/3").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAreLabelledByRouteTemplateNotRawPath() {
        server = RunningPlatform.start(testService);
        server.get("/items/41");
        server.get("/items/42");

        String metrics = server.get("/metrics").body();

        assertThat(metrics)
                .contains("switchboard_http_server_requests_seconds_count{")
                .contains("route=\"/items/:id\"")
                .doesNotContain("route=\"/items/41\"")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void healthAndOpenApiDescribeTheServices() {
        server = RunningPlatform.start(testService);

        HttpResponse<String> ready = server.get("/health/ready");
        JsonObject openApi = new JsonObject(server.get("/openapi").body());

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(ready.body()).getJsonObject("services").getString("test"))
                .isEqualTo("UP");
        assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(openApi.getString("openapi")).startsWith("3.1");
        assertThat(openApi.getJsonObject("paths").fieldNames()).contains("/health/ready", "/metrics");
    }

    @Test
    void shutdownFinishesInFlightRequestsAndThenStopsAccepting() throws Exception {
        server = RunningPlatform.start(testService);
        CompletableFuture<HttpResponse<String>> inFlight =
                server.client().sendAsync(server.request("/slow").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(slowArrived.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopping =
                server.platform().shutdown().toCompletionStage().toCompletableFuture();
        release.complete();

        assertThat(inFlight.get(10, TimeUnit.SECONDS).body()).isEqualTo("done");
        stopping.get(10, TimeUnit.SECONDS);
        assertThat(CompletableFuture.supplyAsync(() -> {
                    try {
                        return server.get("/health/live").statusCode();
                    } catch (IllegalStateException refused) {
                        return -1;
                    }
                }))
                .succeedsWithin(java.time.Duration.ofSeconds(10))
                .isEqualTo(-1);
        server.vertx().close();
        server = null;
    }

    /** Issue 14, defect 11: after SIGTERM, /health/ready shows the documented 503 while draining. */
    @Test
    void whileDrainingReadinessIs503AndNewWorkIsRefusedWhileInFlightRequestsFinish() throws Exception {
        server = RunningPlatform.start(testService);
        CompletableFuture<HttpResponse<String>> inFlight =
                server.client().sendAsync(server.request("/slow").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(slowArrived.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopping =
                server.platform().shutdown().toCompletionStage().toCompletableFuture();
        HttpResponse<String> ready = server.get("/health/ready");
        HttpResponse<String> newWork = server.get("/slow");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(ready.body()).getBoolean("draining")).isTrue();
        assertThat(newWork.statusCode()).isEqualTo(503);
        assertThat(newWork.headers().firstValue("content-type")).contains("application/problem+json");
        assertThat(newWork.headers().firstValue("retry-after")).isPresent();
        assertThat(stopping).isNotDone();

        release.complete();
        assertThat(inFlight.get(10, TimeUnit.SECONDS).body()).isEqualTo("done");
        stopping.get(10, TimeUnit.SECONDS);
        server.vertx().close();
        server = null;
    }
}
