package io.switchboard.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.platform.Service;
import io.switchboard.platform.ServiceContext;
import io.switchboard.platform.problem.ProblemException;
import io.switchboard.platform.testing.RunningPlatform;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests are counted under the route that took them, not {@code route="unmatched"}: the
 * fallback's traffic under the fallback service's name, a failed request under the template it
 * matched before failing. Series are matched on the name's suffix so a prefix on every metric name
 * does not break the test.
 */
class RouteLabelTest {

    private final Service failing = new Service() {
        @Override
        public String name() {
            return "failing";
        }

        @Override
        public void mount(Router router, ServiceContext context) {
            router.get("/items/:id").handler(ctx -> {
                throw ProblemException.invalidParameter("id", "id must be a number");
            });
        }
    };

    private final Service catchAll = new Service() {
        @Override
        public String name() {
            return "relay";
        }

        @Override
        public void mount(Router router, ServiceContext context) {}

        @Override
        public Handler<RoutingContext> fallback() {
            return ctx -> ctx.end("relayed");
        }
    };

    private RunningPlatform server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void fallbackTrafficIsCountedUnderTheFallbackServicesName() {
        server = RunningPlatform.start(failing, catchAll);

        assertThat(server.get("/anything/else?x=1").statusCode()).isEqualTo(200);

        assertThat(count("GET", "relay", 200)).isEqualTo(1);
        assertThat(count("GET", "unmatched", 200)).isZero();
    }

    @Test
    void failedRequestsAreCountedUnderTheRouteTheyMatched() {
        server = RunningPlatform.start(failing, catchAll);

        assertThat(server.get("/items/abc").statusCode()).isEqualTo(400);
        assertThat(server.send("DELETE", "/items/abc", null).statusCode()).isEqualTo(405);

        assertThat(count("GET", "/items/:id", 400)).isEqualTo(1);
        assertThat(count("DELETE", "/items/:id", 405)).isEqualTo(1);
        assertThat(metricsText()).doesNotContain("route=\"unmatched\"");
    }

    @Test
    void pathsNobodyOwnsStayUnmatchedWithoutAFallback() {
        server = RunningPlatform.start(failing);

        assertThat(server.get("/nobody/owns/this").statusCode()).isEqualTo(404);

        assertThat(count("GET", "unmatched", 404)).isEqualTo(1);
    }

    /** The {@code _count} sample of the request timer with these labels, 0 when absent. */
    private long count(String method, String route, int status) {
        return Arrays.stream(metricsText().split("\n"))
                .filter(line -> line.contains("http_server_requests_seconds_count{"))
                .filter(line -> line.contains("method=\"" + method + "\""))
                .filter(line -> line.contains("route=\"" + route + "\""))
                .filter(line -> line.contains("status=\"" + status + "\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private String metricsText() {
        return server.platform().metrics().scrape();
    }
}
