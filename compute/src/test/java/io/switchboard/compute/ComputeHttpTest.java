package io.switchboard.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.compute.math.BigNumberEngine;
import io.switchboard.compute.math.Cancellation;
import io.switchboard.compute.math.Factorial;
import io.switchboard.compute.math.Fibonacci;
import io.switchboard.platform.testing.RunningPlatform;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ComputeHttpTest {

    private RunningPlatform server;
    private ComputeService service;

    private void start(ComputeConfig config) {
        service = new ComputeService(config);
        server = RunningPlatform.start(service);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answersJsonWithTheResultAsADecimalString() {
        start(ComputeConfig.defaults());

        HttpResponse<String> response = server.get("/fibonacci/100");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getString("result")).isEqualTo("354224848179261915075");
        assertThat(body.getInteger("digits")).isEqualTo(21);
        assertThat(body.getString("function")).isEqualTo("fibonacci");
        assertThat(body.getJsonObject("arguments").getLong("n")).isEqualTo(100);
        assertThat(body.getDouble("compute_ms")).isNotNegative();
    }

    @Test
    void acceptsATrailingSlashAsTheSeedDid() {
        start(ComputeConfig.defaults());

        assertThat(new JsonObject(server.get("/factorial/10/").body()).getString("result"))
                .isEqualTo("3628800");
        assertThat(new JsonObject(server.get("/ackermann/2/2/").body()).getString("result"))
                .isEqualTo("7");
    }

    @Test
    void answersOnlyTheDigitsForTextPlain() {
        start(ComputeConfig.defaults());

        HttpResponse<String> response = server.get("/factorial/20", "Accept", "text/plain");

        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(response.body()).isEqualTo("2432902008176640000");
    }

    @Test
    void computesAckermannFourTwoExactly() {
        start(ComputeConfig.defaults());

        JsonObject body = new JsonObject(server.get("/ackermann/4/2").body());

        assertThat(body.getInteger("digits")).isEqualTo(19_729);
        assertThat(body.getString("result")).endsWith("156733");
    }

    @Test
    void streamsLargeResultsIntactInPiecesWithAContentLength() {
        start(ComputeConfig.defaults());

        // 417,975 digits: two pieces of 256 Ki characters.
        HttpResponse<String> response = server.get("/fibonacci/2000000");

        assertThat(response.headers().firstValue("Content-Length"))
                .contains(Integer.toString(response.body().length()));
        assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
        String result = new JsonObject(response.body()).getString("result");
        assertThat(result.equals(Fibonacci.of(2_000_000, Cancellation.NONE).toString()))
                .as("F(2000000) intact")
                .isTrue();
    }

    @ParameterizedTest(name = "{0} → 400 naming {1}")
    @CsvSource({
        "/fibonacci/-1, n, non-negative integer",
        "/fibonacci/1.5, n, non-negative integer",
        "/fibonacci/abc, n, non-negative integer",
        "/factorial/99999999999999999999999, n, too long",
        "/factorial/9999999999999999999, n, at most 9223372036854775807",
        "/fibonacci, n, missing",
        "/fibonacci/, n, missing",
        "/ackermann/3, n, missing",
        "/ackermann/x/3, m, non-negative integer",
    })
    void invalidInputIsA400ProblemNamingTheParameter(String path, String parameter, String detail) {
        start(ComputeConfig.defaults());

        HttpResponse<String> response = server.get(path);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getString("parameter")).isEqualTo(parameter);
        assertThat(problem.getString("detail")).contains(detail);
    }

    @ParameterizedTest(name = "{0} → 422")
    @CsvSource({"/fibonacci/100000", "/factorial/5000", "/ackermann/3/100000", "/ackermann/4/3", "/ackermann/9/9"})
    void resultsOverTheBudgetAreRefusedBeforeComputingWithTheLimitStated(String path) {
        start(ComputeConfig.defaults().withMaxDigits(10_000));

        HttpResponse<String> response = server.get(path);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(new JsonObject(response.body()).getString("detail")).contains("at most 10000 digits");
        assertThat(service.executor().inFlight()).isZero();
    }

    @Test
    void otherMethodsAre405() {
        start(ComputeConfig.defaults());

        assertThat(server.send("POST", "/fibonacci/3", "").statusCode()).isEqualTo(405);
    }

    @Test
    void unacceptableMediaTypeIs406Problem() {
        start(ComputeConfig.defaults());

        HttpResponse<String> response = server.get("/fibonacci/3", "Accept", "image/png");

        assertThat(response.statusCode()).isEqualTo(406);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Test
    @SuppressWarnings("unchecked") // a discarding handler's response, typed like the others; its body is never read
    void aFullComputePoolAnswers503WithRetryAfter() {
        start(ComputeConfig.defaults().withMaxDigits(50_000_000).withQueue(1, 1));

        // Three distinct multi-second computations at once: one runs, one queues, one is refused.
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int n : new int[] {30_000_001, 30_000_002, 30_000_003}) {
            responses.add(server.client()
                    .sendAsync(server.request("/fibonacci/" + n).build(), HttpResponse.BodyHandlers.discarding())
                    .thenApply(r -> (HttpResponse<String>) (HttpResponse<?>) r));
        }
        HttpResponse<String> refused = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> responses.stream()
                                .filter(CompletableFuture::isDone)
                                .map(CompletableFuture::join)
                                .filter(r -> r.statusCode() == 503)
                                .findFirst()
                                .orElse(null),
                        r -> r != null);

        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        service.executor().close();
    }

    /** Skips GMP cases where libgmp is absent, except in CI, which installs it. */
    private static void assumeAvailable(BigNumberEngine.Choice engine) {
        if (engine == BigNumberEngine.Choice.GMP && BigNumberEngine.gmp().isEmpty()) {
            if (Boolean.parseBoolean(System.getenv("SWITCHBOARD_REQUIRE_SERVICES"))) {
                throw new IllegalStateException("libgmp is required (SWITCHBOARD_REQUIRE_SERVICES=true) but absent");
            }
            Assumptions.abort("libgmp is not installed");
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"GMP", "APFLOAT"})
    void bothEnginesAnswerTheSameDigits(BigNumberEngine.Choice engine) {
        assumeAvailable(engine);
        start(ComputeConfig.defaults().withEngine(engine));

        String fibonacci =
                server.get("/fibonacci/300000", "Accept", "text/plain").body();
        String factorial =
                server.get("/factorial/30000", "Accept", "text/plain").body();

        assertThat(fibonacci.equals(Fibonacci.of(300_000, Cancellation.NONE).toString()))
                .as("F(300000) over HTTP")
                .isTrue();
        assertThat(factorial.equals(Factorial.of(30_000, Cancellation.NONE).toString()))
                .as("30000! over HTTP")
                .isTrue();
    }

    @ParameterizedTest
    @EnumSource(names = {"GMP", "APFLOAT"})
    void healthAndMetricsNameTheEngineInUse(BigNumberEngine.Choice engine) {
        assumeAvailable(engine);
        start(ComputeConfig.defaults().withEngine(engine));
        String name = engine.name().toLowerCase(java.util.Locale.ROOT);

        JsonObject details = new JsonObject(server.get("/health/ready").body())
                .getJsonObject("details")
                .getJsonObject("compute");
        String metrics = server.get("/metrics").body();

        assertThat(details.getString("engine")).isEqualTo(name);
        assertThat(details.getString("engine_version")).isNotBlank();
        assertThat(details.getLong("native_memory_bytes")).isNotNegative();
        assertThat(metrics)
                .containsPattern("switchboard_compute_engine_info\\{[^}]*engine=\"" + name + "\"[^}]*} 1")
                .contains("switchboard_compute_native_memory_bytes ");
    }

    @ParameterizedTest
    @EnumSource(names = {"GMP", "APFLOAT"})
    void aComputationIsCancelledWhenItsOnlyClientDisconnects(BigNumberEngine.Choice engine) throws Exception {
        assumeAvailable(engine);
        start(ComputeConfig.defaults().withMaxDigits(50_000_000).withEngine(engine));

        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /fibonacci/40000000 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> service.executor().inFlight() == 1);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> service.executor().cancelledCount() == 1);
        assertThat(service.executor().inFlight()).isZero();
    }

    @Test
    void metricsRecordDurationSizeAndCacheUseByFunction() {
        start(ComputeConfig.defaults());
        server.get("/fibonacci/30");
        server.get("/fibonacci/30");

        String metrics = server.get("/metrics").body();

        assertThat(metrics)
                .contains("switchboard_compute_duration_seconds_bucket{")
                .contains("switchboard_compute_result_digits_count{")
                .containsPattern(
                        "switchboard_compute_requests_total\\{[^}]*function=\"fibonacci\"[^}]*source=\"cache\"[^}]*} 1\\.0")
                .contains("route=\"/fibonacci/:n\"");
    }
}
