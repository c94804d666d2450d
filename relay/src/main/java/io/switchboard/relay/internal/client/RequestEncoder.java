package io.switchboard.relay.internal.client;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

/**
 * Netty's request encoder, writing a Vert.x header map (what the relay builds) with that map's own
 * encoder, which writes its entries straight into the head's buffer, as Vert.x's client does.
 */
final class RequestEncoder extends HttpRequestEncoder {

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
        if (headers instanceof HeadersMultiMap vertx) {
            vertx.encode(buf, false);
        } else {
            super.encodeHeaders(headers, buf);
        }
    }
}
