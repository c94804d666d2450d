package io.switchboard.platform.dashboard;

import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/** The dashboard's routes: the page, its assets and the snapshot stream. */
final class DashboardRoutes {

    /** Where the page lives; its assets and stream sit below it. */
    static final String PATH = "/dashboard";

    private final SnapshotStream stream;
    private final DashboardAssets assets;

    DashboardRoutes(SnapshotStream stream, DashboardAssets assets) {
        this.stream = stream;
        this.assets = assets;
    }

    void mount(Router router) {
        router.get(PATH).handler(this::handlePage);
        router.get(PATH + "/stream").handler(this::handleStream);
        for (String name : assets.names()) {
            router.get(PATH + "/assets/" + name).handler(ctx -> send(ctx, assets.get(name)));
        }
    }

    private void handlePage(RoutingContext ctx) {
        send(ctx, assets.page());
    }

    private void handleStream(RoutingContext ctx) {
        HttpServerResponse response = ctx.response()
                .setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                // Proxies such as nginx would otherwise hold the events back in their buffers.
                .putHeader("X-Accel-Buffering", "no");
        if (!stream.subscribe(response, ctx.request().getHeader("Last-Event-ID"))) {
            ctx.fail(ProblemException.overloaded(
                    "the dashboard already has " + SnapshotStream.MAX_SUBSCRIBERS + " open streams",
                    Duration.ofSeconds(5)));
            return;
        }
        // A graceful shutdown waits for in-flight requests; an endless stream must end for it to finish.
        ctx.request().connection().shutdownHandler(shutdown -> stream.end(response));
    }

    private static void send(RoutingContext ctx, DashboardAssets.Asset asset) {
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType())
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .end(asset.body());
    }
}
