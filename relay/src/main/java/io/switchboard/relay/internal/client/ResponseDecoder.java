package io.switchboard.relay.internal.client;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

/**
 * Netty's response decoder, told whether the answer in flight is to a HEAD (which has no body
 * whatever its headers say; Netty's {@code HttpClientCodec} learns this from a queue of the methods
 * sent, which a connection with one request at a time does not need), and decoding headers into
 * Vert.x's header map, which is a Netty map too: the relay reads it as a {@code MultiMap} without a
 * copy.
 */
final class ResponseDecoder extends HttpResponseDecoder {

    /** Header maps the relay can read as Vert.x {@code MultiMap}s; not validated, as Vert.x's client does not. */
    private static final HttpHeadersFactory VERTX_HEADERS = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return HeadersMultiMap.caseInsensitive();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return HeadersMultiMap.caseInsensitive();
        }
    };

    private boolean bodiless;

    ResponseDecoder() {
        super(new HttpDecoderConfig().setHeadersFactory(VERTX_HEADERS).setTrailersFactory(VERTX_HEADERS));
    }

    /** Set before each request: whether its answer has no body (the request is a HEAD). */
    void expectBodilessAnswer(boolean bodiless) {
        this.bodiless = bodiless;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        return super.isContentAlwaysEmpty(msg)
                || (bodiless
                        && ((io.netty.handler.codec.http.HttpResponse) msg)
                                        .status()
                                        .code()
                                >= 200);
    }
}
