package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.BenchResult.StepResult;
import io.switchboard.bench.RequestSpec.Header;
import io.switchboard.bench.run.Bench;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The plain-http transport against a server that writes exact bytes: answers in pieces, chunked,
 * ended by a close, interim answers, broken or missing answers, and the request bytes it sends.
 */
class PlainHttpTransportTest {

    private static StepResult run(BenchPlan plan) {
        return Bench.run(plan.withEventLoops(1), Progress.NONE).steps().getFirst();
    }

    private static BenchPlan closed(RequestSpec request, int users) {
        return BenchPlan.of(request, new LoadModel.Closed(List.of(users)));
    }

    @Test
    void chunkedAnswersArrivingByteByByteAreFramedAndTheirPayloadCounted() throws IOException {
        String answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Checksum: 1\r\n\r\n";
        try (RawHttpServer server = RawHttpServer.byteByByte(answer)) {
            StepResult step = run(closed(RequestSpec.get(server.uri("/")), 2).withRequestsPerStep(20));

            assertThat(step.requests()).isEqualTo(20);
            assertThat(step.bytes()).isEqualTo(20 * 15);
            assertThat(step.errors().byStatus()).containsEntry(200, 20L);
            assertThat(step.errors().total()).isZero();
            assertThat(server.connections.get())
                    .as("keep-alive: one connection per user")
                    .isEqualTo(2);
        }
    }

    @Test
    void aHeadSplitAcrossPacketsAndABodyOfKnownLengthAreReadToTheirEnd() throws IOException {
        String answer = "HTTP/1.1 404 Not Found\r\ncontent-length: 1000\r\nServer: raw\r\n\r\n" + "x".repeat(1000);
        try (RawHttpServer server = RawHttpServer.byteByByte(answer)) {
            StepResult step = run(closed(RequestSpec.get(server.uri("/")), 1).withRequestsPerStep(5));

            assertThat(step.requests()).isEqualTo(5);
            assertThat(step.bytes()).isEqualTo(5000);
            assertThat(step.errors().status()).isEqualTo(5);
            assertThat(step.errors().byStatus()).containsOnlyKeys(404);
        }
    }

    @Test
    void aServerClosingAfterEachAnswerGetsANewConnectionPerRequest() throws IOException {
        try (RawHttpServer server = RawHttpServer.start((request, out) -> {
            out.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"
                    .getBytes(StandardCharsets.US_ASCII));
            return false;
        })) {
            StepResult step = run(closed(RequestSpec.get(server.uri("/")), 1).withRequestsPerStep(10));

            assertThat(step.requests()).isEqualTo(10);
            assertThat(step.errors().total()).isZero();
            // 10 measured requests and the one priming request, each on its own connection
            assertThat(server.connections.get()).isEqualTo(11);
        }
    }

    @Test
    void anAnswerWithoutLengthEndsWhenTheServerCloses() throws IOException {
        try (RawHttpServer server = RawHttpServer.start((request, out) -> {
            out.write("HTTP/1.0 200 OK\r\n\r\nuntil the end".getBytes(StandardCharsets.US_ASCII));
            return false;
        })) {
            StepResult step = run(closed(RequestSpec.get(server.uri("/")), 1).withRequestsPerStep(3));

            assertThat(step.requests()).isEqualTo(3);
            assertThat(step.bytes()).isEqualTo(3L * "until the end".length());
            assertThat(step.errors().total()).isZero();
        }
    }

    @Test
    void interimAnswersAreSkippedAndTheFinalOneCounts() throws IOException {
        String answer = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
        try (RawHttpServer server = RawHttpServer.byteByByte(answer)) {
            StepResult step = run(closed(RequestSpec.get(server.uri("/")), 1).withRequestsPerStep(4));

            assertThat(step.errors().byStatus()).containsOnly(java.util.Map.entry(201, 4L));
            assertThat(step.bytes()).isEqualTo(8);
        }
    }

    @Test
    void answersToHeadAndNoContentHaveNoBodyWhateverTheirLengthSays() throws IOException {
        try (RawHttpServer server = RawHttpServer.start((request, out) -> {
            String answer = request.startsWith("HEAD")
                    ? "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
                    : "HTTP/1.1 204 No Content\r\n\r\n";
            out.write(answer.getBytes(StandardCharsets.US_ASCII));
            return true;
        })) {
            RequestSpec head = new RequestSpec("HEAD", server.uri("/"), List.of(), new byte[0]);
            StepResult heads = run(closed(head, 1).withRequestsPerStep(5));
            StepResult noContent =
                    run(closed(RequestSpec.get(server.uri("/")), 1).withRequestsPerStep(5));

            assertThat(heads.errors().byStatus()).containsOnly(java.util.Map.entry(200, 5L));
            assertThat(noContent.errors().byStatus()).containsOnly(java.util.Map.entry(204, 5L));
            assertThat(heads.errors().total() + noContent.errors().total()).isZero();
        }
    }

    @Test
    void bytesThatAreNotHttpCountOnlyAsConnectionErrors() throws IOException {
        try (RawHttpServer server = RawHttpServer.start((request, out) -> {
            out.write("SSH-2.0-OpenSSH_9.6\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return true;
        })) {
            StepResult step = run(closed(RequestSpec.get(server.uri("/")), 1).withStepDuration(Duration.ofMillis(300)));

            assertThat(step.errors().connection()).isPositive();
            assertThat(step.requests()).isZero();
            assertThat(step.throughput()).isZero();
        }
    }

    @Test
    void aConnectionClosedInTheMiddleOfABodyIsAConnectionError() throws IOException {
        try (RawHttpServer server = RawHttpServer.start((request, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b".getBytes(StandardCharsets.US_ASCII));
            return false;
        })) {
            StepResult step = run(closed(RequestSpec.get(server.uri("/")), 1).withStepDuration(Duration.ofMillis(300)));

            assertThat(step.errors().connection()).isPositive();
            assertThat(step.requests()).isZero();
        }
    }

    @Test
    void anAnswerThatNeverComesIsATimeoutAndItsConnectionIsReplaced() throws IOException {
        try (RawHttpServer server = RawHttpServer.start((request, out) -> true)) {
            StepResult step = run(closed(RequestSpec.get(server.uri("/")), 1)
                    .withTimeout(Duration.ofMillis(100))
                    .withStepDuration(Duration.ofMillis(450)));

            assertThat(step.errors().timeout()).isPositive();
            assertThat(step.errors().connection()).isZero();
            assertThat(step.latency().max()).isGreaterThanOrEqualTo(100);
            assertThat(server.connections.get()).isGreaterThan(2);
        }
    }

    @Test
    void theRequestGoesOutWithItsHeadersBodyHostAndLength() throws IOException {
        try (RawHttpServer server = RawHttpServer.start((request, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return true;
        })) {
            RequestSpec post = new RequestSpec(
                    "POST",
                    server.uri("/events?x=1"),
                    List.of(new Header("Content-Type", "application/json"), new Header("X-Key", "k 1")),
                    "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

            run(closed(post, 1).withRequestsPerStep(2));

            assertThat(server.requests)
                    .hasSize(3) // the priming request and two measured ones
                    .allSatisfy(request -> assertThat(request)
                            .isEqualTo("POST /events?x=1 HTTP/1.1\r\n"
                                    + "Host: 127.0.0.1:" + server.port() + "\r\n"
                                    + "Content-Type: application/json\r\n"
                                    + "X-Key: k 1\r\n"
                                    + "Content-Length: 7\r\n"
                                    + "\r\n"
                                    + "{\"a\":1}"));
        }
    }
}
