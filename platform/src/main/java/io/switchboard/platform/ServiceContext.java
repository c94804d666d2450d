package io.switchboard.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.observability.Tracing;
import io.vertx.core.Vertx;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;

/**
 * What the platform hands every service when it mounts it: the shared Vert.x instance, the metric
 * registry, the clock, the server limits and tracing (a tracer for the service's own spans, and
 * the trace headers of its backend requests).
 */
public record ServiceContext(Vertx vertx, MeterRegistry metrics, Clock clock, ServerConfig server, Tracing tracing) {

    /**
     * A body handler enforcing the server's body size limit (413 beyond it). Services add it only to
     * the routes that read a body, so that the relay can stream bodies it does not buffer.
     */
    public BodyHandler bodyHandler() {
        return BodyHandler.create(false).setBodyLimit(server.maxBodyBytes());
    }
}
