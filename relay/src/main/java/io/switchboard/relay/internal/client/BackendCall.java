package io.switchboard.relay.internal.client;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.ReadStream;
import org.jspecify.annotations.Nullable;

/**
 * One request to send.
 *
 * @param method the method
 * @param address where to
 * @param uri the request target (origin form: path and query)
 * @param headers end-to-end fields; the client adds {@code Host} (and {@code Transfer-Encoding:
 *     chunked} for a body without {@code Content-Length}) to this map
 * @param body the request body, paused, or null for none
 */
public record BackendCall(
        HttpMethod method,
        Address address,
        String uri,
        MultiMap headers,
        @Nullable ReadStream<Buffer> body) {}
