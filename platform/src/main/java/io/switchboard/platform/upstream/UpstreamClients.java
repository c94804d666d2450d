package io.switchboard.platform.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * Builds the pooled, keep-alive Vert.x HTTP client that services use towards their backends. One
 * client per backend; it is safe to share across event loops.
 */
public final class UpstreamClients {

    private UpstreamClients() {}

    public static HttpClient create(Vertx vertx, UpstreamClientConfig config) {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setIdleTimeout((int) config.idleTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                // Switchboard sets its own Via/forwarding headers; the backend must see exact paths.
                .setDecompressionSupported(false);
        PoolOptions pool =
                new PoolOptions().setHttp1MaxSize(config.maxConnections()).setMaxWaitQueueSize(config.maxWaitQueue());
        return vertx.httpClientBuilder().with(options).with(pool).build();
    }
}
