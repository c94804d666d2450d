package io.switchboard.platform.testing;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.platform.Platform;
import io.switchboard.platform.ServerConfig;
import io.switchboard.platform.Service;
import io.switchboard.platform.observability.MetricsRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real platform on a free loopback port with the given services, and a real HTTP client to call
 * it. Tests of every module start their service through this, so they exercise the same pipeline
 * (ids, limits, problems, metrics) as production.
 */
public final class RunningPlatform implements AutoCloseable {

    private final Vertx vertx;
    private final Platform platform;
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private RunningPlatform(Vertx vertx, Platform platform) {
        this.vertx = vertx;
        this.platform = platform;
    }

    public static RunningPlatform start(Service... services) {
        return start(ServerConfig.forTests(), Clock.systemUTC(), services);
    }

    public static RunningPlatform start(ServerConfig config, Clock clock, Service... services) {
        Vertx vertx = Vertx.vertx();
        PrometheusMeterRegistry metrics = MetricsRegistry.create();
        try {
            Platform platform = Platform.start(vertx, config, List.of(services), metrics, clock)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            return new RunningPlatform(vertx, platform);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("platform did not start", e);
        }
    }

    public int port() {
        return platform.port();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public Platform platform() {
        return platform;
    }

    public Vertx vertx() {
        return vertx;
    }

    public HttpClient client() {
        return client;
    }

    public HttpResponse<String> get(String pathAndQuery, String... headers) {
        return send(request(pathAndQuery, headers).GET().build());
    }

    public HttpResponse<String> send(String method, String pathAndQuery, String body, String... headers) {
        HttpRequest.BodyPublisher publisher =
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return send(request(pathAndQuery, headers).method(method, publisher).build());
    }

    public HttpRequest.Builder request(String pathAndQuery, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return builder;
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("request to " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            platform.shutdown()
                    .eventually(vertx::close)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("platform did not stop", e);
        }
    }
}
