package io.switchboard.relay.internal.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One keep-alive connection to the backend: the last handler of its Netty pipeline (after the
 * request encoder and the response decoder), carrying one {@link Exchange} at a time.
 *
 * <p>It writes a request head as one buffer (the encoder sizes it from the previous heads), streams
 * a request body with back-pressure (the body is paused while the socket's write buffer is full),
 * hands decoded responses to a {@link BackendResponse}, skips interim (1xx) responses, and gives
 * itself back to its pool when a response ended and neither side asked to close. A connection the
 * backend closes fails the exchange in flight; the caller decides whether to try again.
 *
 * <p>Threads: only its channel's event loop, which is also the loop of every exchange it carries.
 */
final class Connection extends ChannelInboundHandlerAdapter {

    private final ConnectionPool pool;
    final Address address;
    private final ResponseDecoder decoder;
    private final long responseTimeoutNanos;
    private @Nullable Channel channel;
    private @Nullable Exchange current;
    private boolean reading = true;
    /** {@link System#nanoTime()} when it was last given back to the pool. */
    long idleSince;

    Connection(ConnectionPool pool, Address address, ResponseDecoder decoder, long responseTimeoutNanos) {
        this.pool = pool;
        this.address = address;
        this.decoder = decoder;
        this.responseTimeoutNanos = responseTimeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    private Channel channel() {
        Channel c = channel;
        if (c == null) {
            throw new IllegalStateException("connection to " + address + " used before its channel was set");
        }
        return c;
    }

    boolean isOpen() {
        return channel().isActive();
    }

    void close() {
        var _ = channel().close();
    }

    /** Sends {@code exchange}'s request on this connection, which is idle. */
    void start(Exchange exchange) {
        Channel c = channel();
        current = exchange;
        exchange.lastActivity = System.nanoTime();
        BackendCall call = exchange.call;
        decoder.expectBodilessAnswer(call.method().equals(io.vertx.core.http.HttpMethod.HEAD));
        HttpHeaders headers = nettyHeaders(call);
        headers.set(HttpHeaderNames.HOST, address.hostHeader());
        HttpMethod method = HttpMethod.valueOf(call.method().name());
        ReadStream<Buffer> body = call.body();
        if (body == null) {
            exchange.requestWritten = true;
            HttpRequest request = new DefaultFullHttpRequest(
                    HttpVersion.HTTP_1_1,
                    method,
                    call.uri(),
                    Unpooled.EMPTY_BUFFER,
                    headers,
                    EmptyHttpHeaders.INSTANCE);
            var _ = c.writeAndFlush(request, c.voidPromise());
            return;
        }
        if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        var _ = c.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, call.uri(), headers), c.voidPromise());
        streamBody(exchange, body);
    }

    /** The call's headers as Netty's: Vert.x's own header maps are Netty header maps already. */
    private static HttpHeaders nettyHeaders(BackendCall call) {
        if (call.headers() instanceof HttpHeaders netty) {
            return netty;
        }
        HeadersMultiMap copy = HeadersMultiMap.httpHeaders();
        copy.addAll(call.headers());
        return copy;
    }

    private void streamBody(Exchange exchange, ReadStream<Buffer> body) {
        Channel c = channel();
        body.exceptionHandler(failure -> {
            if (current == exchange) {
                exchange.fail(failure);
                close();
            }
        });
        body.endHandler(ended -> {
            exchange.requestWritten = true;
            var _ = c.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, c.voidPromise());
        });
        body.handler(piece -> {
            exchange.lastActivity = System.nanoTime();
            ByteBuf bytes = ((BufferInternal) piece).getByteBuf();
            var _ = c.writeAndFlush(new DefaultHttpContent(bytes), c.voidPromise());
            if (!c.isWritable()) {
                body.pause();
            }
        });
        body.resume();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange exchange = current;
        if (exchange != null && !exchange.requestWritten && ctx.channel().isWritable()) {
            ReadStream<Buffer> body = exchange.call.body();
            if (body != null) {
                exchange.inContext(body::resume);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Stops or restarts reading from the socket, for a response body the caller cannot take yet. */
    void readSocket(boolean read) {
        if (read != reading) {
            reading = read;
            channel().config().setAutoRead(read);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Exchange exchange = current;
        if (exchange == null) {
            // Nothing was asked: a backend that talks out of turn cannot be trusted with the next request.
            ReferenceCountUtil.release(msg);
            var _ = ctx.close();
            return;
        }
        exchange.lastActivity = System.nanoTime();
        exchange.inContext(() -> read(exchange, msg));
    }

    private void read(Exchange exchange, Object msg) {
        if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            failAndClose(new BackendIoException(
                    "The backend's answer could not be decoded: "
                            + object.decoderResult().cause().getMessage(),
                    false,
                    object.decoderResult().cause()));
            return;
        }
        if (msg instanceof HttpResponse head) {
            int status = head.status().code();
            if (status < 200 && status != 101) {
                // Interim answers (100 Continue, 103 Early Hints) are not relayed; the final one follows.
                exchange.interim = true;
            } else {
                exchange.keepAlive = HttpUtil.isKeepAlive(head);
                exchange.answered(new BackendResponse(head, this));
            }
        }
        if (msg instanceof HttpContent content) {
            BackendResponse response = exchange.response();
            if (exchange.interim || response == null) {
                content.release();
                exchange.interim = exchange.interim && !(content instanceof LastHttpContent);
                return;
            }
            ByteBuf bytes = content.content();
            if (bytes.isReadable()) {
                // Copied to the heap (and the pooled buffer released): the piece may be held by the caller.
                response.data(BufferInternal.safeBuffer(bytes));
            } else {
                bytes.release();
            }
            if (content instanceof LastHttpContent) {
                ended(exchange, response);
            }
        }
    }

    private void ended(Exchange exchange, BackendResponse response) {
        exchange.cancelTimer();
        current = null;
        readSocket(true);
        // Given back before the caller hears of the end, so that a request it starts then can reuse it.
        if (exchange.keepAlive && exchange.requestWritten) {
            pool.release(this);
        } else {
            close();
        }
        response.last();
    }

    /**
     * Fails the exchange in flight when the backend sent nothing for the response timeout. Called by
     * the pool's periodic tick rather than a timer per request, which would be scheduled and
     * cancelled on every request (it showed in profiles); the timeout fires up to one tick late.
     */
    void checkTimeout(long now) {
        Exchange exchange = current;
        if (exchange == null || now - exchange.lastActivity < responseTimeoutNanos) {
            return;
        }
        exchange.inContext(() -> failAndClose(new BackendIoException(
                "The backend sent nothing for " + TimeUnit.NANOSECONDS.toMillis(responseTimeoutNanos) + "ms",
                true,
                null)));
    }

    private void failAndClose(Throwable cause) {
        Exchange exchange = current;
        current = null;
        if (exchange != null) {
            exchange.fail(cause);
        }
        close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Exchange exchange = current;
        if (exchange == null) {
            var _ = ctx.close();
            return;
        }
        exchange.inContext(() -> failAndClose(
                new BackendIoException("The connection to the backend failed: " + cause.getMessage(), false, cause)));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange exchange = current;
        if (exchange != null) {
            String when = exchange.response() == null ? "before it answered" : "in the middle of its answer";
            exchange.inContext(() ->
                    failAndClose(new BackendIoException("The backend closed the connection " + when, false, null)));
        }
        pool.closed(this);
        ctx.fireChannelInactive();
    }
}
