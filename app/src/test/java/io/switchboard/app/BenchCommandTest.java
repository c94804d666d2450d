package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
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

    @Test
    void warmupZeroTurnsItOff() {
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(request -> request.response().end("hello"))
                    .listen(0, "127.0.0.1")
                    .await();

            Run run = run(
                    "bench", "--warmup", "0", "--duration", "200ms", "http://127.0.0.1:" + server.actualPort() + "/");

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("c=1").doesNotContain("warm-up");
        } finally {
            vertx.close().await();
        }
    }
}
