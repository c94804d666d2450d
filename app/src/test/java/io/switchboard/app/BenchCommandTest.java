package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {

    /** What one run of the command printed, and its exit code. */
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        CommandLine commandLine = Main.commandLine(args, Map.of());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void zeroConcurrencyIsAOneLineUsageError() {
        Run run = run("bench", "--concurrency", "1,0", "http://127.0.0.1:1/");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("bench: --concurrency must be a positive whole number, was '0'");
    }

    @Test
    void aRateThatIsNotANumberIsAOneLineUsageError() {
        Run run = run("bench", "--rate", "abc", "http://127.0.0.1:1/");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("bench: --rate: 'abc' is not a rate (examples: 500/s, 500, 30000/m)");
    }

    @Test
    void aNonHttpUrlIsRefusedBeforeAnythingIsSent() {
        Run run = run("bench", "ftp://127.0.0.1/file");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("bench: URL ftp://127.0.0.1/file must start with http:// or https://");
    }

    @Test
    void aBadDurationNamesTheOption() {
        Run run = run("bench", "--duration", "forever", "http://127.0.0.1:1/");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().strip())
                .startsWith("bench: --duration: 'forever' is not a duration")
                .doesNotContain("\n");
    }

    @Test
    void benchPrintsTheSummaryAndWritesTheReports(@TempDir Path folder) {
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(request -> request.response().end("hello"))
                    .listen(0, "127.0.0.1")
                    .await();
            String url = "http://127.0.0.1:" + server.actualPort() + "/";

            Run run = run(
                    "bench",
                    "--concurrency",
                    "1,2",
                    "--duration",
                    "300ms",
                    "--slo-p99",
                    "2s",
                    "-H",
                    "Accept: text/plain",
                    "--report",
                    folder.toString(),
                    url);

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("closed model, GET " + url, "c=1", "c=2", "capacity: c=");
            // The default warm-up (auto): before the first step only, at most one step long.
            assertThat(run.out()).contains("warm-up before c=1 (not in the results)");
            assertThat(run.out()).doesNotContain("warm-up before c=2");
            assertThat(folder.resolve("result.json")).isNotEmptyFile();
            assertThat(folder.resolve("report.html")).isNotEmptyFile();
            assertThat(folder.resolve("latency.png")).isNotEmptyFile();
        } finally {
            vertx.close().await();
        }
    }

    /**
     * bench without warm-up, each step ending after 5 requests: counted, not timed, because a cold
     * JVM on a loaded machine may answer nothing within a short duration.
     */
    private static Run benchFiveRequests(String... options) {
        List<String> args =
                new ArrayList<>(List.of("bench", "--warmup", "0", "--requests-count", "5", "--duration", "60s"));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    @Test
    void warmupZeroTurnsItOff() {
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(request -> request.response().end("hello"))
                    .listen(0, "127.0.0.1")
                    .await();

            Run run = benchFiveRequests("http://127.0.0.1:" + server.actualPort() + "/");

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("c=1").doesNotContain("warm-up");
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void everyConnectionRefusedExitsOneWithNoThroughput() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        Run run = run("bench", "--warmup", "0", "--duration", "200ms", "http://127.0.0.1:" + port + "/");

        assertThat(run.code()).isEqualTo(1);
        String row = run.out()
                .lines()
                .filter(line -> line.startsWith("c=1"))
                .findFirst()
                .orElseThrow();
        // step, requests 0, req/s 0, MB/s 0.00, no latency, then the connection errors.
        assertThat(row.split("\\s+")).startsWith("c=1", "0", "0", "0.00", "-");
        assertThat(row).contains("0/0/");
    }

    @Test
    void aMissedP99ThresholdExits99AndSaysWhy() {
        withServer(
                (vertx, request) -> vertx.setTimer(30, id -> request.response().end("slow")), url -> {
                    Run run = benchFiveRequests("--slo-p99", "5ms", url);

                    assertThat(run.code()).as(run.err()).isEqualTo(99);
                    assertThat(run.out()).contains("threshold missed: c=1: p99 ", " ms > 5 ms");
                    assertThat(run.out()).contains("thresholds: not met by any step (exit code 99)");
                });
    }

    @Test
    void aMissedErrorRateThresholdExits99() {
        withServer((vertx, request) -> request.response().setStatusCode(500).end(), url -> {
            Run run = benchFiveRequests("--slo-error-rate", "1%", url);

            assertThat(run.code()).as(run.err()).isEqualTo(99);
            assertThat(run.out()).contains("threshold missed: c=1: error rate 100.00% > 1%");
        });
    }

    @Test
    void metThresholdsExitZeroAndJsonGoesAloneToStdout() throws Exception {
        withServer((vertx, request) -> request.response().end("hello"), url -> {
            Run run = benchFiveRequests("--slo-p99", "2s", "--slo-error-rate", "0.01", "--json", url);

            assertThat(run.code()).as(run.err()).isZero();
            com.fasterxml.jackson.databind.JsonNode json;
            try {
                json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
            } catch (java.io.IOException e) {
                throw new AssertionError("stdout is not JSON: " + run.out(), e);
            }
            assertThat(json.get("verdict").get("passed").asBoolean()).isTrue();
            assertThat(json.get("steps").get(0).get("throughput").asDouble()).isPositive();
            assertThat(json.get("steps").get(0).get("bytesPerSecond").asDouble())
                    .isPositive();
            assertThat(run.err()).contains("thresholds: met by c=1");
        });
    }

    @Test
    void anHgrmFileIsWrittenOnRequest(@TempDir Path folder) {
        withServer((vertx, request) -> request.response().end("hello"), url -> {
            Path file = folder.resolve("run.hgrm");
            Run run = benchFiveRequests("--hgrm", file.toString(), url);

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(file).content().startsWith("       Value     Percentile TotalCount");
        });
    }

    @Test
    void aBadErrorRateAndABadRateStepAreOneLineUsageErrors() {
        Run rate = run("bench", "--slo-error-rate", "lots", "http://127.0.0.1:1/");
        Run steps = run("bench", "--rate", "100/s,fast", "http://127.0.0.1:1/");

        assertThat(rate.code()).isEqualTo(2);
        assertThat(rate.err().strip())
                .isEqualTo("bench: --slo-error-rate: 'lots' is not a share from 0 to 1 (examples: 1%, 0.5%, 0.01)");
        assertThat(steps.code()).isEqualTo(2);
        assertThat(steps.err().strip())
                .isEqualTo("bench: --rate: 'fast' is not a rate (examples: 500/s, 500, 30000/m)");
    }

    private static void withServer(
            java.util.function.BiConsumer<Vertx, io.vertx.core.http.HttpServerRequest> handler,
            java.util.function.Consumer<String> test) {
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(request -> handler.accept(vertx, request))
                    .listen(0, "127.0.0.1")
                    .await();
            test.accept("http://127.0.0.1:" + server.actualPort() + "/");
        } finally {
            vertx.close().await();
        }
    }
}
