package io.switchboard.relay.internal;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Where stored responses live: in this process ({@link MemoryCacheStore}) or in Redis shared by
 * several relay instances ({@link RedisCacheStore}). Futures complete on the caller's Vert.x
 * context. A failing store is treated by the relay as a miss, never as an error for the client.
 */
public interface CacheStore {

    /** The response stored under {@code key}, or null. */
    Future<CachedResponse> get(String key);

    /** Stores {@code response} under {@code key} for at most {@code keepFor}. */
    Future<Void> put(String key, CachedResponse response, Duration keepFor);

    /** Forgets what is stored under {@code key}. */
    Future<Void> remove(String key);

    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
