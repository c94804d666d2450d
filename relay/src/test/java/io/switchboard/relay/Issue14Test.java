package io.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.platform.ServerConfig;
import io.switchboard.platform.testing.RunningPlatform;
import io.vertx.core.http.HttpServerResponse;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 14, defects 1 and 1b: relay loops are refused, forwarding headers follow the rules. */
class Issue14Test {

    private final TestBackend backend = new TestBackend();
    private RunningPlatform relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        backend.close();
    }

    private RunningPlatform start(RelayConfig config) {
        relay = RunningPlatform.start(new RelayService(config));
        return relay;
    }

    @Test
    void aRequestCarryingTheRelaysOwnViaIsRefusedWith508WithoutCallingTheBackend() {
        backend.answer(req -> req.response().end(req.getHeader("via")));
        start(RelayConfig.defaults(backend.base()));
        String ownVia = relay.get("/first").body();

        // What the relay would receive if its backend led back to it.
        HttpResponse<String> looped = relay.get("/second", "Via", "1.0 edge, " + ownVia);

        assertThat(looped.statusCode()).isEqualTo(508);
        assertThat(looped.headers().firstValue("content-type")).contains("application/problem+json");
        assertThat(looped.body()).contains("relay-loop-detected");
        assertThat(backend.count()).isEqualTo(1);
    }

    @Test
    void anotherRelaysViaIsNotALoop() {
        start(RelayConfig.defaults(backend.base()));

        HttpResponse<String> response = relay.get("/chained", "Via", "1.1 switchboard-00000000");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(backend.count()).isEqualTo(1);
    }

    @Test
    void aBackendOnThisVeryServerIsRefusedAtStartNamingIt() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RelayConfig self = RelayConfig.defaults(URI.create("http://localhost:" + port + "/api"));

        assertThatThrownBy(() -> RunningPlatform.start(
                        ServerConfig.forTests().withPort(port), Clock.systemUTC(), new RelayService(self)))
                .rootCause()
                .hasMessageContaining("points at this server (port " + port + ")");
    }

    @Test
    void theClientsViaReachesTheBackendWithTheRelaysOwnAppendedOnOneLine() {
        start(RelayConfig.defaults(backend.base()));

        HttpResponse<String> response = relay.get("/via", "Via", "1.0 fred, 1.1 p.example");

        String via = backend.last().headers().get("via");
        assertThat(backend.last().headers().getAll("via")).hasSize(1);
        assertThat(via).matches("1\\.0 fred, 1\\.1 p\\.example, 1\\.1 switchboard-[0-9a-f]{8}");
        assertThat(response.headers().allValues("via")).hasSize(1);
    }

    @Test
    void aTrustedProxysXForwardedForGetsThePeerAppended() {
        start(RelayConfig.defaults(backend.base()));

        relay.get("/xff", "X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https");

        assertThat(backend.last().headers().getAll("x-forwarded-for")).containsExactly("203.0.113.9, 127.0.0.1");
        assertThat(backend.last().headers().get("x-forwarded-proto")).isEqualTo("https");
        assertThat(backend.last().headers().get("x-forwarded-host")).isEqualTo("127.0.0.1:" + relay.port());
        assertThat(backend.last().headers().get("forwarded"))
                .isEqualTo("for=127.0.0.1;host=\"127.0.0.1:" + relay.port() + "\";proto=http");
    }

    @Test
    void anUntrustedClientsForwardingHeadersAreReplacedByWhatTheRelaySaw() {
        start(RelayConfig.defaults(backend.base()).withTrustedProxies(List.of("10.0.0.0/8")));

        relay.get(
                "/xff",
                "X-Forwarded-For",
                "203.0.113.9",
                "X-Forwarded-Host",
                "evil.example",
                "Forwarded",
                "for=203.0.113.9");

        assertThat(backend.last().headers().getAll("x-forwarded-for")).containsExactly("127.0.0.1");
        assertThat(backend.last().headers().get("x-forwarded-host")).isEqualTo("127.0.0.1:" + relay.port());
        assertThat(backend.last().headers().get("x-forwarded-proto")).isEqualTo("http");
        assertThat(backend.last().headers().getAll("forwarded"))
                .singleElement()
                .asString()
                .startsWith("for=127.0.0.1;");
    }

    @Test
    void trustedProxiesMustBeAddressesOrRangesNamingTheCulprit() {
        assertThatThrownBy(() -> RelayConfig.defaults(backend.base()).withTrustedProxies(List.of("proxy.example")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'proxy.example'");
        assertThatThrownBy(() -> RelayConfig.defaults(backend.base()).withTrustedProxies(List.of("10.0.0.0/33")))
                .hasMessageContaining("'10.0.0.0/33'");
    }

    @Test
    void connectionCloseFromTheClientClosesTheConnectionAfterTheAnswer() {
        start(RelayConfig.defaults(backend.base()));

        // RawHttp reads to the end of the stream: it returns only because the relay closed.
        backend.answer(
                req -> req.response().putHeader("Cache-Control", "max-age=60").end("cached"));
        for (String connection : List.of("close", "Close", "keep-alive, close", "close, X-Hop")) {
            for (String path : List.of("/close", "/close", "/uncached?x", "/_none")) {
                String response = RawHttp.send(
                        relay.port(), "GET " + path + " HTTP/1.1", "Host: 127.0.0.1", "Connection: " + connection);

                assertThat(RawHttp.status(response)).as(connection + " " + path).isEqualTo(200);
                assertThat(response.toLowerCase(Locale.ROOT)).as(connection).contains("connection: close");
            }
        }
    }

    // ---- defect 4: a chunked cacheable answer is buffered up to one entry, then streamed ----

    @Test
    void aChunkedCacheableAnswerLargerThanAnEntryIsStreamedNotBufferedWhole() throws Exception {
        CountDownLatch clientReadTheStart = new CountDownLatch(1);
        backend.answer(req -> {
            HttpServerResponse response = req.response().setChunked(true).putHeader("Cache-Control", "max-age=600");
            for (int i = 0; i < 20; i++) {
                response.write("a".repeat(100));
            }
            // The rest only once the client has seen the start: a relay that buffers the whole
            // body before answering never lets that happen.
            backend.vertx()
                    .executeBlocking(() -> clientReadTheStart.await(10, TimeUnit.SECONDS))
                    .onComplete(started -> {
                        if (Boolean.TRUE.equals(started.result())) {
                            response.write("b".repeat(3_000));
                            response.end("end");
                        } else {
                            response.reset();
                        }
                    });
        });
        start(RelayConfig.defaults(backend.base()).withMaxEntryBytes(1_000));

        HttpResponse<InputStream> response =
                relay.client().send(relay.request("/big").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        String body;
        try (InputStream in = response.body()) {
            byte[] start = in.readNBytes(2_000);
            clientReadTheStart.countDown();
            body = new String(start, StandardCharsets.ISO_8859_1)
                    + new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body).isEqualTo("a".repeat(2_000) + "b".repeat(3_000) + "end");
        assertThat(response.headers().firstValue("x-cache")).contains("MISS");
    }

    @Test
    void aChunkedCacheableAnswerWithinAnEntryIsStillStored() {
        backend.answer(req -> req.response()
                .setChunked(true)
                .putHeader("Cache-Control", "max-age=600")
                .end("small"));
        start(RelayConfig.defaults(backend.base()).withMaxEntryBytes(1_000));

        relay.get("/small");
        HttpResponse<String> second = relay.get("/small");

        assertThat(second.body()).isEqualTo("small");
        assertThat(second.headers().firstValue("x-cache")).contains("HIT");
        assertThat(backend.count()).isEqualTo(1);
    }
}
