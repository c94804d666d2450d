package io.switchboard.platform.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Writes one structured line per finished request to the {@code access} logger: method, path,
 * status, duration, bytes sent, request id and, for a traced request, trace and span ids. The JSON encoder turns the key-value pairs into
 * fields, so the lines can be queried without parsing text.
 */
public final class AccessLog implements Handler<RoutingContext> {

    private static final Logger log = LoggerFactory.getLogger("access");

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        // Taken now: once the answer is sent, the tracer has already closed the request's span and
        // its context is no longer current where this line is written.
        SpanContext trace = Span.current().getSpanContext();
        ctx.addBodyEndHandler(done -> {
            if (!log.isInfoEnabled()) {
                return;
            }
            LoggingEventBuilder line = log.atInfo();
            if (trace.isValid()) {
                line = line.addKeyValue("trace_id", trace.getTraceId()).addKeyValue("span_id", trace.getSpanId());
            }
            line.addKeyValue("request_id", RequestIds.of(ctx))
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
