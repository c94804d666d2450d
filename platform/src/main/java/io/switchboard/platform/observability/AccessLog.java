package io.switchboard.platform.observability;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one structured line per finished request to the {@code access} logger: method, path,
 * status, duration, bytes sent and request id. The JSON encoder turns the key-value pairs into
 * fields, so the lines can be queried without parsing text.
 */
public final class AccessLog implements Handler<RoutingContext> {

    private static final Logger log = LoggerFactory.getLogger("access");

    @Override
    public void handle(RoutingContext ctx) {
        if (!log.isInfoEnabled()) {
            // Above INFO (LOG_LEVEL=WARN under load) a request costs no handler and no clock read.
            ctx.next();
            return;
        }
        long start = System.nanoTime();
        ctx.addBodyEndHandler(done -> {
            log.atInfo()
                    .addKeyValue("request_id", RequestIds.of(ctx))
                    .addKeyValue("method", ctx.request().method().name())
                    .addKeyValue("path", ctx.request().path())
                    .addKeyValue("status", ctx.response().getStatusCode())
                    .addKeyValue("duration_ms", (System.nanoTime() - start) / 1_000_000.0)
                    .addKeyValue("bytes", ctx.response().bytesWritten())
                    .addKeyValue("remote", String.valueOf(ctx.request().remoteAddress()))
                    .log("request");
        });
        ctx.next();
    }
}
