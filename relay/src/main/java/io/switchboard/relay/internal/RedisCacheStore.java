package io.switchboard.relay.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A store in Redis, so that several relay instances share one cache: each response is one key
 * ({@code prefix + cache key}) holding its JSON form, with a Redis expiry equal to its keep time.
 *
 * <p>Threads: lettuce completes commands on its own Netty threads; every result is handed back to
 * the caller's Vert.x context ({@link Future#fromCompletionStage(CompletionStage,
 * io.vertx.core.Context)}), so relay code never runs on lettuce's threads.
 *
 * <p>Connecting: the connection opens asynchronously. Calls made while the first attempt is under
 * way wait for it, as a freshly started relay should; once an attempt has failed, every call fails
 * at once until a retry connects (the relay treats that as a miss and serves from the origin). A
 * failed connection is retried with exponential backoff ({@link #FIRST_RETRY} doubling up to
 * {@link #MAX_RETRY}); once connected, lettuce itself reconnects after a loss.
 */
public final class RedisCacheStore implements CacheStore {

    /** Wait before the first retry of a failed connection. */
    static final Duration FIRST_RETRY = Duration.ofMillis(250);

    /** Longest wait between connection attempts, so a Redis that comes back is found soon. */
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final RedisClient client;
    private final RedisURI uri;
    private final String prefix;
    private volatile @Nullable StatefulRedisConnection<byte[], byte[]> connection;
    private volatile boolean closed;
    private volatile @Nullable Throwable lastConnectFailure;
    private final Future<StatefulRedisConnection<byte[], byte[]>> firstAttempt;

    public RedisCacheStore(Vertx vertx, String url, String prefix) {
        this.vertx = vertx;
        this.client = RedisClient.create();
        this.uri = RedisURI.create(url);
        this.prefix = prefix;
        this.firstAttempt = Future.fromCompletionStage(connect(FIRST_RETRY), vertx.getOrCreateContext());
    }

    /** One connection attempt; on failure the next is scheduled {@code retryIn} later, doubled after. */
    private CompletionStage<StatefulRedisConnection<byte[], byte[]>> connect(Duration retryIn) {
        return client.connectAsync(ByteArrayCodec.INSTANCE, uri).whenComplete((opened, failure) -> {
            if (failure == null) {
                if (closed) {
                    var _ = opened.closeAsync();
                } else {
                    connection = opened;
                }
                return;
            }
            lastConnectFailure = failure;
            if (!closed) {
                Duration next = retryIn.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retryIn.multipliedBy(2);
                vertx.setTimer(retryIn.toMillis(), id -> {
                    if (!closed) {
                        connect(next);
                    }
                });
            }
        });
    }

    /**
     * The open connection; while the first attempt is still under way, that attempt (calls wait for
     * it, as a freshly started relay should); after a failed attempt, a failed future at once.
     */
    private Future<StatefulRedisConnection<byte[], byte[]>> connection() {
        StatefulRedisConnection<byte[], byte[]> current = connection;
        if (current != null) {
            return Future.succeededFuture(current);
        }
        Throwable failure = lastConnectFailure;
        if (failure == null) {
            return firstAttempt;
        }
        return Future.failedFuture(new IllegalStateException(
                "Redis is not connected yet (" + failure.getMessage() + "); retrying", failure));
    }

    @Override
    public Future<CachedResponse> get(String key) {
        return connection()
                .compose(c -> onContext(c.async().get(bytes(key))))
                .map(value -> value == null
                        ? null
                        : CachedResponse.fromJson(new JsonObject(new String(value, StandardCharsets.UTF_8))));
    }

    @Override
    public Future<Void> put(String key, CachedResponse response, Duration keepFor) {
        byte[] value = response.toJson().encode().getBytes(StandardCharsets.UTF_8);
        return connection()
                .compose(c -> onContext(c.async().set(bytes(key), value, SetArgs.Builder.px(keepFor.toMillis()))))
                .mapEmpty();
    }

    @Override
    public Future<Void> remove(String key) {
        return connection().compose(c -> onContext(c.async().del(bytes(key)))).mapEmpty();
    }

    @Override
    public Future<Void> close() {
        closed = true;
        return Future.fromCompletionStage(client.shutdownAsync()).mapEmpty();
    }

    private <T> Future<T> onContext(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
    }

    private byte[] bytes(String key) {
        return (prefix + key).getBytes(StandardCharsets.UTF_8);
    }
}
