package io.switchboard.app.serve;

import io.switchboard.app.cli.DurationConverter;
import io.switchboard.platform.ServerConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of the shared HTTP server. */
public final class ServerOptions {

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (env PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--host",
            defaultValue = "0.0.0.0",
            description = "Interface to bind (env HOST; default ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--event-loops",
            defaultValue = "0",
            description = "Server event loops; 0 means one per core (env EVENT_LOOPS; default ${DEFAULT-VALUE}).")
    int eventLoops;

    @Option(
            names = "--max-concurrent-requests",
            defaultValue = "4096",
            description = "Requests in flight beyond which the server answers 503 + Retry-After at once "
                    + "(env MAX_CONCURRENT_REQUESTS; default ${DEFAULT-VALUE}).")
    int maxConcurrentRequests;

    @Option(
            names = "--max-body-bytes",
            defaultValue = "1048576",
            description =
                    "Largest request body a service buffers; beyond it 413 (env MAX_BODY_BYTES; default ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(
            names = "--shutdown-timeout",
            defaultValue = "PT10S",
            converter = DurationConverter.class,
            description = "How long SIGTERM waits for in-flight requests, e.g. 10s or PT10S "
                    + "(env SHUTDOWN_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration shutdownTimeout;

    public ServerConfig toConfig() {
        int loops = eventLoops == 0 ? Runtime.getRuntime().availableProcessors() : eventLoops;
        return new ServerConfig(host, port, loops, maxConcurrentRequests, maxBodyBytes, shutdownTimeout);
    }
}
