package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.platform.testing.RunningPlatform;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
}
