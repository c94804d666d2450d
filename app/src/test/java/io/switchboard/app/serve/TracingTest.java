package io.switchboard.app.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.switchboard.app.start.Switchboard;
import io.switchboard.platform.observability.Tracing;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One trace across serve: a client's {@code traceparent} is continued by the server span of its
 * request, each fan-out attempt and each relay call is a client span below it, and the built-in
 * mocks, reached over real sockets, continue the same trace with their own server spans (so they
 * received a {@code traceparent} of that trace). With tracing off, the client's trace context
 * reaches the backends unchanged.
 */
class TracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01";

    private static final String EYE_KEY = "tracing-test-key-0123456789abcdef";

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dataDir;

    private Switchboard.Running running;
    private Vertx backendVertx;

    @AfterEach
    void stop() throws Exception {
        if (running != null) {
            running.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (backendVertx != null) {
            backendVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTraceCrossesFanoutAndRelayToTheMocks() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        running = serve(Tracing.exportingTo(spans, "switchboard-test"), "--only", "fanout,relay");
        // The first attempt answers late, so smart hedges: the hedged attempts start from a timer.
        assertThat(send(
                                "POST",
                                "/_mock/work/setscenario",
                                "[[{\"time\":1},200,1500],[{\"time\":2},200,0]," + "[{\"time\":3},200,0]]")
                        .statusCode())
                .isEqualTo(200);
        spans.reset();

        HttpResponse<String> smart = send("GET", "/api/smart?timeout=5000", null);
        HttpResponse<String> relayed = send("GET", "/restaurant", null);

        assertThat(smart.statusCode()).isEqualTo(200);
        assertThat(relayed.statusCode()).isEqualTo(200);
        Awaitility.await()
                .atMost(10, TimeUnit.SECONDS)
                .until(() -> serverSpans(spans.getFinishedSpanItems(), "GET /_mock/menu/api/restaurant")
                                        .size()
                                == 1
                        && serverSpans(spans.getFinishedSpanItems(), "GET /_mock/work/api/work")
                                        .size()
                                >= 2);
        List<SpanData> all = spans.getFinishedSpanItems();
        assertThat(all).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(TRACE_ID));

        SpanData fanout = single(serverSpans(all, "GET /api/smart"));
        assertThat(fanout.getParentSpanId()).isEqualTo(CLIENT_SPAN);
        List<SpanData> attempts = childrenOf(all, fanout, SpanKind.CLIENT);
        assertThat(attempts).as("one client span per fan-out attempt").hasSizeGreaterThanOrEqualTo(2);
        assertThat(serverSpans(all, "GET /_mock/work/api/work"))
                .as("the work mock continues the attempts' trace")
                .allSatisfy(mock ->
                        assertThat(attempts).extracting(SpanData::getSpanId).contains(mock.getParentSpanId()));

        SpanData relay = single(serverSpans(all, "GET relay"));
        assertThat(relay.getParentSpanId()).isEqualTo(CLIENT_SPAN);
        SpanData relayCall = single(childrenOf(all, relay, SpanKind.CLIENT));
        SpanData menu = single(serverSpans(all, "GET /_mock/menu/api/restaurant"));
        assertThat(menu.getParentSpanId()).isEqualTo(relayCall.getSpanId());
    }

    @Test
    void eyeCommitsAndDistributeTasksAreChildSpansOfTheirRequests() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        running = serve(
                Tracing.exportingTo(spans, "switchboard-test"),
                "--only",
                "eye,distribute",
                "--eye-api-keys",
                "web:" + EYE_KEY,
                "--distribute-workers",
                "1",
                "--distribute-python-workers",
                "0");

        HttpResponse<String> event = send(
                "POST",
                "/events",
                "{\"session_id\":\"s\",\"category\":\"c\",\"name\":\"n\",\"data\":{},"
                        + "\"timestamp\":\"2026-01-01T00:00:00Z\"}",
                "Authorization",
                "Bearer " + EYE_KEY,
                "Content-Type",
                "application/json");
        HttpResponse<String> task = send(
                "POST",
                "/distribute/tasks?wait=30s",
                "{\"function\":\"echo\",\"args\":[\"hi\"]}",
                "Content-Type",
                "application/json");

        assertThat(event.statusCode()).isEqualTo(202);
        assertThat(task.statusCode()).isEqualTo(200);
        Awaitility.await()
                .atMost(10, TimeUnit.SECONDS)
                .until(() -> spans.getFinishedSpanItems().stream()
                        .anyMatch(span -> span.getName().equals("distribute task")));
        List<SpanData> all = spans.getFinishedSpanItems();
        SpanData commit = single(named(all, "eye commit"));
        assertThat(commit.getParentSpanId())
                .isEqualTo(single(serverSpans(all, "POST /events")).getSpanId());
        SpanData run = single(named(all, "distribute task"));
        assertThat(run.getParentSpanId())
                .isEqualTo(single(serverSpans(all, "POST /distribute/tasks")).getSpanId());
        assertThat(run.getAttributes().asMap().toString()).contains("distribute.task.state=SUCCEEDED");
        assertThat(List.of(commit, run))
                .allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(TRACE_ID));
    }

    @Test
    void withTracingOffTheCallersTraceContextReachesTheBackendsUnchanged() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        int backend = startRecordingBackend(received);
        running = serve(
                Tracing.disabled(),
                "--only",
                "fanout,relay",
                "--remote-url",
                "http://127.0.0.1:" + backend + "/api/work",
                "--relay-backend",
                "http://127.0.0.1:" + backend + "/api");

        assertThat(send("GET", "/api/all?timeout=5000", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/restaurant", null).statusCode()).isEqualTo(200);

        assertThat(received)
                .as("traceparent and tracestate of each backend request: three attempts, one relay call")
                .hasSize(4)
                .containsOnly(TRACEPARENT + " vendor=1");
    }

    private Switchboard.Running serve(Tracing tracing, String... extra) throws Exception {
        ServeCommand serve = new ServeCommand();
        List<String> args = new java.util.ArrayList<>(
                List.of("--port", "0", "--host", "127.0.0.1", "--event-loops", "1", "--data-dir", dataDir.toString()));
        args.addAll(List.of(extra));
        new CommandLine(serve).parseArgs(args.toArray(String[]::new));
        return Switchboard.start(serve.server.toConfig(), serve.createServices(), tracing)
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
    }

    /** A backend answering the work and menu APIs, recording the trace headers it receives. */
    private int startRecordingBackend(List<String> received) throws Exception {
        backendVertx = Vertx.vertx();
        HttpServer server = backendVertx
                .createHttpServer()
                .requestHandler(request -> {
                    received.add(request.getHeader("traceparent") + " " + request.getHeader("tracestate"));
                    String body = request.path().endsWith("/work") ? "{\"time\":1}" : "{\"restaurants\":[]}";
                    request.response()
                            .putHeader("Content-Type", "application/json")
                            .end(body);
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        return server.actualPort();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.port() + path));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        HttpRequest request = builder.timeout(Duration.ofSeconds(30))
                .header("traceparent", TRACEPARENT)
                .header("tracestate", "vendor=1")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<SpanData> serverSpans(List<SpanData> spans, String name) {
        return spans.stream()
                .filter(span ->
                        span.getKind() == SpanKind.SERVER && span.getName().equals(name))
                .toList();
    }

    private static List<SpanData> named(List<SpanData> spans, String name) {
        return spans.stream().filter(span -> span.getName().equals(name)).toList();
    }

    private static List<SpanData> childrenOf(List<SpanData> spans, SpanData parent, SpanKind kind) {
        return spans.stream()
                .filter(span -> span.getKind() == kind && span.getParentSpanId().equals(parent.getSpanId()))
                .toList();
    }

    private static SpanData single(List<SpanData> spans) {
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }
}
