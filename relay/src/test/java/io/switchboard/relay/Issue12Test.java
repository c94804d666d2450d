package io.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.platform.ServerConfig;
import io.switchboard.platform.testing.MutableClock;
import io.switchboard.platform.testing.RunningPlatform;
import io.vertx.core.buffer.Buffer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 (relay hot path): a cache hit is answered from parts worked out once when the response
 * was stored, and a small streamed answer is written in one piece. What the client receives must
 * not change: the same header lines in the same order, the relay's Age, X-Cache and Via, and the
 * same body bytes on every hit.
 */
class Issue12Test {

    /** A body with multi-byte UTF-8 characters, so that any re-encoding would show. */
    private static final String BODY = "{\"name\":\"Tyttis K\u00f6k\",\"pad\":\"" + "x".repeat(1500) + "\u00e4\"}";

    private final TestBackend backend = new TestBackend();
    private final MutableClock clock = new MutableClock();
    private RunningPlatform relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        backend.close();
    }

    /** A raw answer split into its status line, header lines and body. */
    private record Raw(String statusLine, List<String> headerLines, String body) {

        static Raw parse(String response) {
            int end = response.indexOf("\r\n\r\n");
            String[] lines = response.substring(0, end).split("\r\n");
            List<String> headers = new ArrayList<>(List.of(lines).subList(1, lines.length));
            return new Raw(lines[0], headers, response.substring(end + 4));
        }

        /** Header lines other than the per-request id and the platform's {@code Connection: close}. */
        List<String> withoutRequestId() {
            return headerLines.stream()
                    .filter(line -> !line.toLowerCase(Locale.ROOT).startsWith("x-request-id:"))
                    .filter(line -> !line.toLowerCase(Locale.ROOT).startsWith("connection:"))
                    .toList();
        }

        String header(String name) {
            for (String line : headerLines) {
                if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
            return null;
        }
    }

    private Raw get(String path) {
        return Raw.parse(
                RawHttp.send(relay.port(), "GET " + path + " HTTP/1.1", "Host: relay.test", "Connection: close"));
    }

    @Test
    void aCacheHitRepeatsTheStoredHeaderLinesInOrderWithTheRelaysAgeXCacheAndVia() {
        backend.answer(req -> req.response()
                .putHeader("Cache-Control", "max-age=60")
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("X-Mixed-Case", "Value With Spaces")
                .putHeader("Set-Cookie", List.<String>of("a=1", "b=2"))
                .putHeader("ETag", "\"v1\"")
                .putHeader("Age", "3")
                .putHeader("X-Cache", "from-the-backend")
                .putHeader("X-Request-Id", "backend-own-id")
                .end(Buffer.buffer(BODY.getBytes(StandardCharsets.UTF_8))));
        relay = RunningPlatform.start(
                ServerConfig.forTests(), clock, new RelayService(RelayConfig.defaults(backend.base())));

        Raw miss = get("/restaurant");
        clock.advance(Duration.ofSeconds(7));
        Raw hit = get("/restaurant");
        Raw again = get("/restaurant");

        String via = miss.header("via");
        assertThat(via).matches("1\\.1 switchboard-[0-9a-f]{8}");
        int length = BODY.getBytes(StandardCharsets.UTF_8).length;
        assertThat(hit.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(hit.withoutRequestId())
                .containsExactly(
                        "Cache-Control: max-age=60",
                        "Content-Type: application/json; charset=utf-8",
                        "X-Mixed-Case: Value With Spaces",
                        "Set-Cookie: a=1",
                        "Set-Cookie: b=2",
                        "ETag: \"v1\"",
                        "Age: 10",
                        "X-Cache: HIT",
                        "Via: " + via,
                        "content-length: " + length);
        assertThat(again.withoutRequestId()).isEqualTo(hit.withoutRequestId());
        assertThat(miss.header("x-cache")).isEqualTo("MISS");
        assertThat(miss.header("age")).isEqualTo("3");
        assertThat(hit.header("x-request-id"))
                .isNotEqualTo("backend-own-id")
                .isNotEqualTo(again.header("x-request-id"));
        // The raw strings are ISO-8859-1 views of the bytes: equal strings mean equal bytes.
        String expectedBody = new String(BODY.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertThat(List.of(miss.body(), hit.body(), again.body())).containsOnly(expectedBody);
        assertThat(backend.count()).isEqualTo(1);
    }

    @Test
    void aHeadHitAnnouncesTheStoredLengthWithoutABody() {
        backend.answer(
                req -> req.response().putHeader("Cache-Control", "max-age=60").end(BODY));
        relay = RunningPlatform.start(
                ServerConfig.forTests(), clock, new RelayService(RelayConfig.defaults(backend.base())));
        get("/restaurant");

        Raw head = Raw.parse(
                RawHttp.send(relay.port(), "HEAD /restaurant HTTP/1.1", "Host: relay.test", "Connection: close"));

        assertThat(head.header("x-cache")).isEqualTo("HIT");
        assertThat(head.header("content-length"))
                .isEqualTo(Integer.toString(BODY.getBytes(StandardCharsets.UTF_8).length));
        assertThat(head.body()).isEmpty();
    }

    @Test
    void passThroughAnswersSmallLargeAndChunkedBodiesWhole() {
        String large = "y".repeat(300_000);
        backend.answer(req -> {
            switch (req.path()) {
                case "/api/small" -> req.response().putHeader("X-Size", "small").end(BODY);
                case "/api/large" -> req.response().end(large);
                default -> {
                    var response = req.response().setChunked(true);
                    response.write("part one, ");
                    response.end("part two");
                }
            }
        });
        relay = RunningPlatform.start(
                new RelayService(RelayConfig.defaults(backend.base()).withCache("none")));

        HttpResponse<String> small = relay.get("/small");
        HttpResponse<String> big = relay.get("/large");
        HttpResponse<String> chunked = relay.get("/chunked");

        assertThat(small.body()).isEqualTo(BODY);
        assertThat(small.headers().firstValue("content-length"))
                .contains(Integer.toString(BODY.getBytes(StandardCharsets.UTF_8).length));
        assertThat(small.headers().firstValue("x-size")).contains("small");
        assertThat(small.headers().firstValue("via")).isPresent();
        assertThat(big.body()).isEqualTo(large);
        assertThat(big.headers().firstValue("content-length")).contains("300000");
        assertThat(chunked.body()).isEqualTo("part one, part two");
        assertThat(chunked.headers().firstValue("content-length")).isEmpty();
    }
}
