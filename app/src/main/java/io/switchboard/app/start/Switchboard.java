package io.switchboard.app.start;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.app.logging.DroppingAsyncAppender;
import io.switchboard.platform.Platform;
import io.switchboard.platform.ServerConfig;
import io.switchboard.platform.Service;
import io.switchboard.platform.observability.MetricsRegistry;
import io.switchboard.platform.observability.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a Switchboard instance: one Vert.x, one metrics registry, the platform and the given
 * services. {@code serve} and the end-to-end tests both start through here.
 */
public final class Switchboard {

    private static final Logger log = LoggerFactory.getLogger(Switchboard.class);

    private Switchboard() {}

    /** A started instance; {@link #stop()} is the graceful shutdown. */
    public record Running(Vertx vertx, Platform platform, Tracing tracing) {

        public int port() {
            return platform.port();
        }

        public Future<Void> stop() {
            return platform.shutdown()
                    .eventually(vertx::close)
                    .onComplete(closed -> {
                        // The last requests' spans may still be buffered: export them (Vert.x is closed,
                        // so blocking here holds up no event loop).
                        if (tracing.enabled()) {
                            tracing.close();
                            log.atInfo()
                                    .addKeyValue("phase", "tracing-flushed")
                                    .log("shutdown: buffered spans exported");
                        }
                    })
                    .onComplete(
                            done -> log.atInfo().addKeyValue("phase", "stopped").log("shutdown: complete"));
        }

        /**
         * Blocks until SIGTERM or SIGINT, then stops gracefully. Replacing the JVM's default
         * handlers makes SIGTERM a graceful stop that exits 0, not 143.
         */
        public void awaitTermination() throws InterruptedException {
            CountDownLatch stopped = new CountDownLatch(1);
            for (String name : new String[] {"TERM", "INT"}) {
                Signals.handle(name, signal -> {
                    log.atInfo()
                            .addKeyValue("phase", "signal")
                            .addKeyValue("signal", "SIG" + signal)
                            .log("received SIG{}: shutting down gracefully", signal);
                    stop().onComplete(done -> stopped.countDown());
                });
            }
            stopped.await();
        }
    }

    /**
     * Starts and waits, turning a failure to listen (port taken, bad address) into a one-line
     * {@link IllegalStateException} the CLI prints without a stack trace.
     */
    public static Running startOrExplain(ServerConfig server, List<Service> services) {
        return startOrExplain(server, services, Tracing.disabled());
    }

    /** As {@link #startOrExplain(ServerConfig, List)}, with tracing. */
    public static Running startOrExplain(ServerConfig server, List<Service> services, Tracing tracing) {
        try {
            return start(server, services, tracing)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(
                    "cannot serve on " + server.host() + ":" + server.port() + ": " + cause.getMessage(), cause);
        }
    }

    public static Future<Running> start(ServerConfig server, List<Service> services) {
        return start(server, services, Tracing.disabled());
    }

    public static Future<Running> start(ServerConfig server, List<Service> services, Tracing tracing) {
        Vertx vertx = tracing.newVertx(
                new VertxOptions().setEventLoopPoolSize(server.eventLoops()).setPreferNativeTransport(true));
        PrometheusMeterRegistry metrics = MetricsRegistry.create();
        FunctionCounter.builder("log.events.dropped", DroppingAsyncAppender.class, d -> DroppingAsyncAppender.dropped())
                .description("Log events dropped because the log queue was full (stderr slower than events)")
                .register(metrics);
        return Platform.start(vertx, server, services, metrics, Clock.systemUTC(), tracing)
                .map(platform -> new Running(vertx, platform, tracing))
                .onFailure(failure -> vertx.close());
    }
}
