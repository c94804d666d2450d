package io.switchboard.relay.internal.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.AddressResolverGroup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * A lean HTTP/1.1 client for one backend, on the Netty that Vert.x runs on: what the relay needs of
 * Vert.x's {@code HttpClient} without its per-request machinery (request objects, a shared pool
 * with its locks and queues, a second header map, future chains per step).
 *
 * <p>Each Vert.x event loop gets its own {@link ConnectionPool}, used only from that loop: a
 * request is sent on a connection of the loop that serves it, so nothing crosses threads and
 * nothing is locked. The connections open at most ({@link ClientSettings#maxConnections()}) are
 * counted over all loops; a request that finds none free and none allowed waits, up to the connect
 * timeout, for one of its loop to come back or for a slot.
 *
 * <p>TLS as Vert.x's client did it with the relay's options: the JVM's trust store, the host name
 * verified, SNI sent. Host names are resolved by Vert.x's resolver, never on the event loop.
 */
public final class BackendClient {

    private final VertxInternal vertx;
    private final ClientSettings settings;
    private final ChannelFactory<? extends Channel> channelFactory;
    private final ConcurrentHashMap<EventLoop, ConnectionPool> pools = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile @Nullable SslContext tls;
    private volatile boolean shutDown;

    public BackendClient(Vertx vertx, ClientSettings settings) {
        this(vertx, settings, null);
    }

    /** With {@code tls} instead of the JVM's trust store: for tests against a self-signed backend. */
    BackendClient(Vertx vertx, ClientSettings settings, @Nullable SslContext tls) {
        this.vertx = (VertxInternal) vertx;
        this.settings = settings;
        this.channelFactory = this.vertx.transport().channelFactory(false);
        this.tls = tls;
    }

    /**
     * Sends {@code call}; the future completes on the caller's context with the response head, or
     * fails with a {@link BackendIoException} (or the request body's own failure).
     */
    public Future<BackendResponse> send(BackendCall call) {
        ContextInternal context = vertx.getOrCreateContext();
        if (shutDown) {
            return context.failedFuture(new BackendIoException("The backend client is closed", false, null));
        }
        EventLoop loop = context.nettyEventLoop();
        ConnectionPool pool = pools.get(loop);
        if (pool == null) {
            pool = pools.computeIfAbsent(loop, l -> new ConnectionPool(this, l));
        }
        Exchange exchange = new Exchange(call, context);
        if (loop.inEventLoop()) {
            pool.acquire(exchange);
        } else {
            // A worker context: its requests run on the loop it belongs to.
            ConnectionPool chosen = pool;
            loop.execute(() -> chosen.acquire(exchange));
        }
        return exchange.future();
    }

    /** Closes idle connections; connections in use close when their response ended. */
    public Future<Void> close() {
        shutDown = true;
        pools.values().forEach(pool -> pool.loop.execute(pool::closeIdle));
        return Future.succeededFuture();
    }

    /** Connections open now, over all loops (for tests). */
    public int openConnections() {
        return open.get();
    }

    // ---- for the pools ----

    ClientSettings settings() {
        return settings;
    }

    ChannelFactory<? extends Channel> channelFactory() {
        return channelFactory;
    }

    AddressResolverGroup<InetSocketAddress> resolver() {
        return vertx.nameResolver().nettyAddressResolverGroup();
    }

    /** Takes a slot for a new connection, if the maximum allows. */
    boolean tryOpen() {
        while (true) {
            int now = open.get();
            if (now >= settings.maxConnections() || shutDown) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** A connection closed (or failed to open): its slot goes to a loop with waiting requests. */
    void closed() {
        open.decrementAndGet();
        if (waiting.get() > 0) {
            for (ConnectionPool pool : pools.values()) {
                if (pool.hasWaiters()) {
                    pool.loop.execute(pool::serveWaiters);
                }
            }
        }
    }

    /** Whether {@link #close()} was called: connections coming back are closed, not pooled. */
    boolean isShutDown() {
        return shutDown;
    }

    void waiting(int change) {
        waiting.addAndGet(change);
    }

    /** Whether some loop waits for a connection while none may be opened. */
    boolean othersWaitAtMaximum() {
        return waiting.get() > 0 && open.get() >= settings.maxConnections();
    }

    /** A TLS handler for a new connection to {@code address}: trusted by the JVM's trust store, host name verified. */
    SslHandler tls(Channel channel, Address address) {
        SslHandler handler = tlsContext().newHandler(channel.alloc(), address.host(), address.port());
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        handler.setHandshakeTimeoutMillis(settings.connectTimeout().toMillis());
        return handler;
    }

    private SslContext tlsContext() {
        SslContext context = tls;
        if (context == null) {
            try {
                context = SslContextBuilder.forClient().build();
            } catch (SSLException e) {
                throw new IllegalStateException("cannot set up TLS for the backend client", e);
            }
            tls = context;
        }
        return context;
    }
}
