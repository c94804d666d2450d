package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import io.switchboard.platform.testing.RunningPlatform;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, defect 1: a path some service owns never falls through to the fallback (the relay's
 * catch-all). A wrong method is 405 with {@code Allow}, a wrong {@code Accept} 406, HEAD works
 * wherever GET does, and a path under an owned prefix is 404.
 */
class Issue14Test {

    /** Requests the fallback (standing in for the relay) received. */
    private final AtomicInteger fallbackCalls = new AtomicInteger();

    private final Service owner = new Service() {
        @Override
        public String name() {
            return "owner";
        }

        @Override
        public void mount(Router router, ServiceContext context) {
            router.get("/things/:id")
                    .produces("application/json")
                    .handler(ctx -> ctx.json(new JsonObject().put("id", ctx.pathParam("id"))));
            router.get("/_owned/api/known").handler(ctx -> ctx.end("known"));
            router.get("/secret").handler(ctx -> {
                throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized", "no key"));
            });
            router.post("/upload").handler(context.bodyHandler()).handler(ctx -> ctx.end("stored"));
        }

        @Override
        public List<String> ownedPrefixes() {
            return List.of("/_owned");
        }
    };

    private final Service catchAll = new Service() {
        @Override
        public String name() {
            return "catch-all";
        }

        @Override
        public void mount(Router router, ServiceContext context) {}

        @Override
        public Handler<RoutingContext> fallback() {
            return ctx -> {
                fallbackCalls.incrementAndGet();
                ctx.end("fallback");
            };
        }
    };

    private RunningPlatform server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aWrongMethodOnAnOwnedPathIs405WithAllowAndNeverReachesTheFallback() {
        server = RunningPlatform.start(owner, catchAll);

        for (String[] call : new String[][] {
            {"POST", "/health/ready"}, {"DELETE", "/things/1"}, {"OPTIONS", "/things/1"}, {"PUT", "/metrics"}
        }) {
            HttpResponse<String> response = server.send(call[0], call[1], null);

            assertThat(response.statusCode()).as(call[0] + " " + call[1]).isEqualTo(405);
            assertThat(response.headers().firstValue("allow")).as(call[1]).contains("GET, HEAD");
            assertThat(response.headers().firstValue("content-type")).contains("application/problem+json");
            assertThat(response.body()).contains("\"status\":405", call[0]);
        }
        assertThat(fallbackCalls).hasValue(0);
    }

    @Test
    void anUnacceptableAcceptOnAnOwnedPathIs406AndNeverReachesTheFallback() {
        server = RunningPlatform.start(owner, catchAll);

        HttpResponse<String> response = server.get("/things/1", "Accept", "application/xml");

        assertThat(response.statusCode()).isEqualTo(406);
        assertThat(response.body()).contains("\"status\":406", "application/xml");
        assertThat(fallbackCalls).hasValue(0);
    }

    @Test
    void headAnswersWhereverGetDoesWithoutABody() {
        server = RunningPlatform.start(owner, catchAll);

        for (String path : List.of("/health/ready", "/health/live", "/metrics", "/openapi", "/things/7")) {
            HttpResponse<String> response = server.send(server.request(path)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build());

            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).isEmpty();
        }
        assertThat(fallbackCalls).hasValue(0);
    }

    @Test
    void aPathUnderAnOwnedPrefixThatNoRouteMatchesIs404NotTheFallback() {
        server = RunningPlatform.start(owner, catchAll);

        HttpResponse<String> response = server.get("/_owned/api/favicon.ico");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).contains("application/problem+json");
        assertThat(server.get("/_owned/api/known").body()).isEqualTo("known");
        assertThat(fallbackCalls).hasValue(0);
    }

    @Test
    void onlyAPathNobodyOwnsReachesTheFallback() {
        server = RunningPlatform.start(owner, catchAll);

        HttpResponse<String> response = server.get("/favicon.ico");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("fallback");
        assertThat(fallbackCalls).hasValue(1);
    }

    @Test
    void withoutAFallbackAPathNobodyOwnsIsA404Problem() {
        server = RunningPlatform.start(owner);

        HttpResponse<String> response = server.send("POST", "/nowhere", "x");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"status\":404", "/nowhere");
    }

    // ---- defect 1c: errors below the router are problems too ----

    /**
     * Writes {@code request} as is and reads the answer until the server closes. A reset after the
     * answer arrived (the server closes with unread input) ends the read too.
     */
    private String raw(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketException reset) {
                // the answer read so far is what the client got
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private String raw(String request) throws IOException {
        return raw(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aTooLongRequestLineIsA414Problem() throws IOException {
        server = RunningPlatform.start(owner);

        String answer = raw("GET /" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.").contains(" 414 ");
        assertThat(answer).contains("application/problem+json", "\"status\":414", "4096 bytes");
    }

    @Test
    void tooManyOrTooLargeHeadersAreA431Problem() throws IOException {
        server = RunningPlatform.start(owner);
        StringBuilder many = new StringBuilder("GET /health/live HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 1_000; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }

        String answer = raw(many.append("\r\n").toString());

        assertThat(answer).contains(" 431 ", "application/problem+json", "\"status\":431");
    }

    @Test
    void malformedRequestsAre400Problems() throws IOException {
        server = RunningPlatform.start(owner);

        for (String request : List.of(
                "GARBAGE\r\n\r\n",
                "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                "GET /health/live HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n")) {
            String answer = raw(request);

            assertThat(answer).as(request).contains(" 400 ", "application/problem+json", "\"status\":400");
        }
    }

    @Test
    void twoHostHeadersAreA400Problem() throws IOException {
        server = RunningPlatform.start(owner);

        String answer = raw("GET /health/live HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n");

        assertThat(answer).contains(" 400 ", "application/problem+json", "Host");
    }

    @Test
    void a401CarriesAChallenge() {
        server = RunningPlatform.start(owner);

        HttpResponse<String> response = server.get("/secret");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("www-authenticate")).contains("Bearer realm=\"switchboard\"");
    }

    @Test
    void a413StatesTheLimit() {
        server = RunningPlatform.start(owner);

        HttpResponse<String> response = server.send("POST", "/upload", "x".repeat((1 << 20) + 1));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("1048576 bytes");
    }

    // ---- defect 3: bounded metric series ----

    @Test
    void inventedMethodsDoNotCreateNewMetricSeries() {
        server = RunningPlatform.start(owner, catchAll);

        for (int i = 0; i < 30; i++) {
            server.send("INVENTED" + i, "/things/1", null);
            server.send("INVENTED" + i, "/nobody-owns-" + i, null);
        }

        List<String> methods = server.platform().metrics().find("switchboard.http.server.requests").timers().stream()
                .map(timer -> timer.getId().getTag("method"))
                .distinct()
                .toList();
        assertThat(methods).containsOnly("_OTHER");
        List<String> routes = server.platform().metrics().find("switchboard.http.server.requests").timers().stream()
                .map(timer -> timer.getId().getTag("route"))
                .distinct()
                .toList();
        assertThat(routes).isNotEmpty().hasSizeLessThanOrEqualTo(2);
    }
}
