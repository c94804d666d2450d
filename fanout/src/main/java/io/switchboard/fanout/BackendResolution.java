package io.switchboard.fanout;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.fanout.errorlog.RotatingFileWriter;
import io.switchboard.platform.observability.Tracing;
import io.switchboard.platform.upstream.ThisServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend fan-out calls and one {@link Fanout} per endpoint over it, built once: at start for a
 * backend elsewhere, or, for one in this same server (port 0, {@link ThisServer}: serve's built-in
 * work mock), on the first request, at the address that request reached (the port is only known
 * then). Built once rather than per request, unlike the relay's, because the fan-outs and their
 * pooled upstream are per URL.
 */
final class BackendResolution {

    /** The resolved backend and one fan-out per endpoint over it. */
    record Backend(
            URI url, HttpUpstream<JsonObject> upstream, Map<FanoutService.Endpoint, Fanout<JsonObject>> fanouts) {}

    private static final Logger log = LoggerFactory.getLogger(FanoutService.class);

    private final FanoutConfig config;
    private final Vertx vertx;
    private final HttpClient client;
    private final MeterRegistry metrics;
    private final Tracing tracing;
    private final RotatingFileWriter errorLogWriter;
    private final Clock clock;
    private volatile @Nullable Backend backend;

    BackendResolution(
            FanoutConfig config,
            Vertx vertx,
            HttpClient client,
            MeterRegistry metrics,
            Tracing tracing,
            RotatingFileWriter errorLogWriter,
            Clock clock) {
        this.config = config;
        this.vertx = vertx;
        this.client = client;
        this.metrics = metrics;
        this.tracing = tracing;
        this.errorLogWriter = errorLogWriter;
        this.clock = clock;
        if (!ThisServer.isNamedBy(config.remoteUrl())) {
            backend = createBackend(config.remoteUrl());
        }
    }

    /** The backend once resolved, else null. */
    @Nullable
    Backend current() {
        return backend;
    }

    /** The backend, resolving the in-process mock's URL from the port the first request came in on. */
    Backend backend(SocketAddress local) {
        Backend resolved = backend;
        if (resolved != null) {
            return resolved;
        }
        synchronized (this) {
            resolved = backend;
            if (resolved == null) {
                URI url = ThisServer.resolve(config.remoteUrl(), local);
                log.atInfo()
                        .addKeyValue("remote_url", url.toString())
                        .log("no --remote-url configured; fan-out calls the built-in work mock at {}", url);
                resolved = createBackend(url);
                backend = resolved;
            }
            return resolved;
        }
    }

    private Backend createBackend(URI url) {
        HttpUpstream<JsonObject> upstream =
                new HttpUpstream<>(vertx, client, url, config.requestTimeout(), ResponseCheck.workTime(), tracing);
        Map<FanoutService.Endpoint, Fanout<JsonObject>> fanouts = new EnumMap<>(FanoutService.Endpoint.class);
        for (FanoutService.Endpoint endpoint : FanoutService.Endpoint.values()) {
            FanoutListener listener = FanoutListener.both(
                    new FanoutMetrics(metrics, endpoint.label()),
                    new BackendErrorLog(errorLogWriter, clock, endpoint.label()));
            fanouts.put(endpoint, new Fanout<>(vertx, upstream, listener));
        }
        return new Backend(url, upstream, Map.copyOf(fanouts));
    }
}
