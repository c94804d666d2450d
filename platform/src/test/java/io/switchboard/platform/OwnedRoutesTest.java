package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which mounted template owns a path: read in place, with the segments Vert.x Web matches. */
class OwnedRoutesTest {

    private static final List<String> TEMPLATES =
            List.of("/health/ready", "/events", "/events/:id/errors", "/a/b/", "/", "/x/:y");

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private OwnedRoutes table() {
        Router router = Router.router(vertx);
        List<Route> routes = new ArrayList<>();
        for (String template : TEMPLATES) {
            routes.add(router.route(HttpMethod.GET, template));
        }
        return OwnedRoutes.of(routes, List.of(), new OwnedRoutes.Fallback("relay", ctx -> {}));
    }

    @Test
    void exactTemplatesParametersAndTrailingSlashes() {
        OwnedRoutes table = table();

        assertThat(table.templateOf("/health/ready")).isEqualTo("/health/ready");
        assertThat(table.templateOf("/health/ready/")).isEqualTo("relay");
        assertThat(table.templateOf("/health")).isEqualTo("relay");
        assertThat(table.templateOf("/events/42/errors")).isEqualTo("/events/:id/errors");
        assertThat(table.templateOf("/events//errors"))
                .as("a parameter is never empty")
                .isEqualTo("relay");
        assertThat(table.templateOf("/a/b/")).isEqualTo("/a/b/");
        assertThat(table.templateOf("/a/b")).isEqualTo("relay");
        assertThat(table.templateOf("/")).isEqualTo("/");
        assertThat(table.templateOf("/x/1")).isEqualTo("/x/:y");
        assertThat(table.templateOf("/x/1/2")).isEqualTo("relay");
        assertThat(table.templateOf("/restaurant")).isEqualTo("relay");
    }

    /** Every path built from a small alphabet of segments gets the answer of a plain split and compare. */
    @Test
    void agreesWithSplittingThePathForRandomPaths() {
        OwnedRoutes table = table();
        Random random = new Random(7);
        String[] alphabet = {"", "a", "b", "api", "events", "errors", "health", "ready", "x", "42"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder path = new StringBuilder();
            int segments = random.nextInt(5);
            for (int s = 0; s <= segments; s++) {
                path.append('/').append(alphabet[random.nextInt(alphabet.length)]);
            }
            assertThat(table.templateOf(path.toString())).as(path.toString()).isEqualTo(bySplitting(path.toString()));
        }
    }

    private static @Nullable String bySplitting(String path) {
        List<String> segments = segments(path);
        for (String template : TEMPLATES) {
            List<String> wanted = segments(template);
            if (segments.size() != wanted.size()) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < wanted.size(); i++) {
                boolean parameter =
                        wanted.get(i).startsWith(":") && !segments.get(i).isEmpty();
                all &= parameter || wanted.get(i).equals(segments.get(i));
            }
            if (all) {
                return template;
            }
        }
        return "relay";
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>(List.of(path.split("/", -1)));
        segments.remove(0);
        return segments;
    }
}
