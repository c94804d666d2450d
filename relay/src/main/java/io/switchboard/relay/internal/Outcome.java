package io.switchboard.relay.internal;

import io.vertx.core.buffer.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * What a fetch produced: a buffered response (storable, shareable) or one to stream, leader
 * only. {@code streamedPrefix} is the part of a streamed body already read while trying to
 * buffer it (a chunked answer that turned out larger than an entry may be), or null.
 */
record Outcome(
        @Nullable CachedResponse buffered,
        Backend.@Nullable Exchange streaming,
        String xCache,
        @Nullable Buffer streamedPrefix) {

    Outcome(@Nullable CachedResponse buffered, Backend.@Nullable Exchange streaming, String xCache) {
        this(buffered, streaming, xCache, null);
    }
}
