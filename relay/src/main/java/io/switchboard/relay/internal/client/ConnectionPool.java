package io.switchboard.relay.internal.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The keep-alive connections of one event loop: idle ones by address (the most recently used is
 * reused first, so that the others can expire), new ones opened on this loop, and requests waiting
 * for one while the client's maximum is open.
 *
 * <p>Threads: only its event loop. The one thing other loops do is ask it to serve its waiters
 * when a connection closed somewhere ({@link #serveWaiters}, run on this loop).
 */
final class ConnectionPool {

    private final BackendClient client;
    final EventLoop loop;
    private final Map<Address, ArrayDeque<Connection>> idle = new HashMap<>();
    private final ArrayDeque<Exchange> waiters = new ArrayDeque<>();
    /** Read by other loops to decide whether to wake this one; written here only. */
    private volatile int waiting;

    /** Every open connection of this loop, busy or idle, for the tick. */
    private final ArrayList<Connection> open = new ArrayList<>();

    private boolean ticking;

    ConnectionPool(BackendClient client, EventLoop loop) {
        this.client = client;
        this.loop = loop;
    }

    /** Starts {@code exchange} on an idle connection, a new one, or when one becomes free. */
    void acquire(Exchange exchange) {
        Address address = exchange.call.address();
        ArrayDeque<Connection> free = idle.get(address);
        while (free != null && !free.isEmpty()) {
            Connection connection = free.pop();
            if (connection.isOpen()) {
                connection.start(exchange);
                return;
            }
        }
        if (client.tryOpen()) {
            connect(exchange);
            return;
        }
        exchange.timer = loop.schedule(
                () -> waitedTooLong(exchange),
                client.settings().connectTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
        waiters.add(exchange);
        waiting = waiters.size();
        client.waiting(1);
    }

    private void waitedTooLong(Exchange exchange) {
        if (waiters.remove(exchange)) {
            waiting = waiters.size();
            client.waiting(-1);
            exchange.timer = null;
            exchange.inContext(() -> exchange.fail(new BackendIoException(
                    "No connection to the backend became free within "
                            + client.settings().connectTimeout().toMillis() + "ms ("
                            + client.settings().maxConnections() + " open)",
                    true,
                    null)));
        }
    }

    private void connect(Exchange exchange) {
        Address address = exchange.call.address();
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(client.channelFactory())
                .resolver(client.resolver())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        client.settings().connectTimeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (address.ssl()) {
                            channel.pipeline().addLast("tls", client.tls(channel, address));
                        }
                        ResponseDecoder decoder = new ResponseDecoder();
                        channel.pipeline()
                                .addLast("encoder", new RequestEncoder())
                                .addLast("decoder", decoder)
                                .addLast(
                                        "connection",
                                        new Connection(
                                                ConnectionPool.this,
                                                address,
                                                decoder,
                                                client.settings()
                                                        .responseTimeout()
                                                        .toNanos()));
                    }
                });
        ChannelFuture connecting =
                bootstrap.connect(InetSocketAddress.createUnresolved(address.host(), address.port()));
        connecting.addListener(done -> {
            if (!done.isSuccess()) {
                client.closed();
                exchange.inContext(() -> exchange.fail(new BackendIoException(
                        "Could not connect to " + address + ": " + done.cause().getMessage(),
                        isTimeout(done.cause()),
                        done.cause())));
                return;
            }
            Channel channel = connecting.channel();
            Connection connection = channel.pipeline().get(Connection.class);
            opened(connection);
            SslHandler tls = channel.pipeline().get(SslHandler.class);
            if (tls == null) {
                connection.start(exchange);
                return;
            }
            tls.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    connection.start(exchange);
                } else {
                    exchange.inContext(() -> exchange.fail(new BackendIoException(
                            "TLS with " + address + " failed: "
                                    + handshake.cause().getMessage(),
                            isTimeout(handshake.cause()),
                            handshake.cause())));
                    var _ = channel.close();
                }
            });
        });
    }

    private static boolean isTimeout(Throwable failure) {
        return failure instanceof io.netty.channel.ConnectTimeoutException
                || failure instanceof io.netty.handler.ssl.SslHandshakeTimeoutException;
    }

    /** A connection whose response ended with both sides keeping it alive. */
    void release(Connection connection) {
        Exchange next = nextWaiter();
        if (next != null) {
            if (next.call.address().equals(connection.address)) {
                next.cancelTimer();
                connection.start(next);
            } else {
                // Waiting for another address: this connection's slot serves it better.
                waiters.addFirst(next);
                waiting = waiters.size();
                client.waiting(1);
                connection.close();
            }
            return;
        }
        if (client.isShutDown()) {
            connection.close();
            return;
        }
        if (client.othersWaitAtMaximum()) {
            // Another loop waits for a connection and none may be opened: free a slot for it.
            connection.close();
            return;
        }
        connection.idleSince = System.nanoTime();
        idle.computeIfAbsent(connection.address, a -> new ArrayDeque<>()).push(connection);
    }

    private Exchange nextWaiter() {
        Exchange next = waiters.poll();
        if (next != null) {
            waiting = waiters.size();
            client.waiting(-1);
        }
        return next;
    }

    /** A connection closed, busy or idle (the backend, a timeout, or we closed it). */
    void closed(Connection connection) {
        open.remove(connection);
        ArrayDeque<Connection> free = idle.get(connection.address);
        if (free != null) {
            free.remove(connection);
        }
        client.closed();
    }

    /** Opens connections for waiting requests while the maximum allows. */
    void serveWaiters() {
        while (!waiters.isEmpty() && client.tryOpen()) {
            Exchange next = nextWaiter();
            if (next == null) {
                client.closed();
                return;
            }
            next.cancelTimer();
            connect(next);
        }
    }

    boolean hasWaiters() {
        return waiting > 0;
    }

    private void opened(Connection connection) {
        open.add(connection);
        if (!ticking) {
            ticking = true;
            scheduleTick();
        }
    }

    /**
     * One periodic task per loop, while it has connections, instead of timers per request: a tick
     * of an eighth of the shorter timeout (response or idle), so either fires at most that late.
     */
    private void scheduleTick() {
        long shorter = Math.min(
                client.settings().responseTimeout().toNanos(),
                client.settings().poolIdleTimeout().toNanos());
        long every = Math.max(shorter / 8, TimeUnit.MILLISECONDS.toNanos(10));
        var _ = loop.schedule(this::tick, every, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        long now = System.nanoTime();
        closeIdleSince(now - client.settings().poolIdleTimeout().toNanos());
        // A copy: a timed-out connection closes, and leaves the list, while we go through it.
        for (Connection connection : List.copyOf(open)) {
            connection.checkTimeout(now);
        }
        if (open.isEmpty()) {
            ticking = false;
        } else {
            scheduleTick();
        }
    }

    /** Closes connections unused since {@code limit}: below the backend's timeout, so it rarely closes one we reuse. */
    private void closeIdleSince(long limit) {
        for (ArrayDeque<Connection> free : idle.values()) {
            // Oldest at the tail: the most recently used is pushed on the head.
            for (Iterator<Connection> it = free.descendingIterator(); it.hasNext(); ) {
                Connection connection = it.next();
                if (connection.idleSince - limit > 0) {
                    break;
                }
                it.remove();
                connection.close();
            }
        }
    }

    /** Closes the idle connections, for the client's close. */
    void closeIdle() {
        for (ArrayDeque<Connection> free : idle.values()) {
            free.forEach(Connection::close);
            free.clear();
        }
    }
}
