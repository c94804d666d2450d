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

/**
 * A store in Redis, so that several relay instances share one cache: each response is one key
 * ({@code prefix + cache key}) holding its JSON form, with a Redis expiry equal to its keep time.
 *
 * <p>Threads: lettuce completes commands on its own Netty threads; every result is handed back to
 * the caller's Vert.x context ({@link Future#fromCompletionStage(CompletionStage,
 * io.vertx.core.Context)}), so relay code never runs on lettuce's threads. The connection opens
 * asynchronously; until it is up, lookups are misses.
 */
public final class RedisCacheStore implements CacheStore {

    private final Vertx vertx;
    private final RedisClient client;
    private final Future<StatefulRedisConnection<byte[], byte[]>> connection;
    private final String prefix;

    public RedisCacheStore(Vertx vertx, String url, String prefix) {
        this.vertx = vertx;
        this.client = RedisClient.create();
        this.prefix = prefix;
        this.connection = Future.fromCompletionStage(
                client.connectAsync(ByteArrayCodec.INSTANCE, RedisURI.create(url)), vertx.getOrCreateContext());
    }

    @Override
    public Future<CachedResponse> get(String key) {
        return connection
                .compose(c -> onContext(c.async().get(bytes(key))))
                .map(value -> value == null
                        ? null
                        : CachedResponse.fromJson(new JsonObject(new String(value, StandardCharsets.UTF_8))));
    }

    @Override
    public Future<Void> put(String key, CachedResponse response, Duration keepFor) {
        byte[] value = response.toJson().encode().getBytes(StandardCharsets.UTF_8);
        return connection
                .compose(c -> onContext(c.async().set(bytes(key), value, SetArgs.Builder.px(keepFor.toMillis()))))
                .mapEmpty();
    }

    @Override
    public Future<Void> remove(String key) {
        return connection.compose(c -> onContext(c.async().del(bytes(key)))).mapEmpty();
    }

    @Override
    public Future<Void> close() {
        return Future.fromCompletionStage(client.shutdownAsync()).mapEmpty();
    }

    private <T> Future<T> onContext(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
    }

    private byte[] bytes(String key) {
        return (prefix + key).getBytes(StandardCharsets.UTF_8);
    }
}
