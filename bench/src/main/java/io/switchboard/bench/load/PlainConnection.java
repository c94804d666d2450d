package io.switchboard.bench.load;

import io.switchboard.bench.load.SelectorLoop.Exchange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One keep-alive HTTP/1.1 connection of a {@link SelectorLoop}: writes an encoded request, reads
 * the answer into its buffer and lets {@link ResponseFraming} find its end, one exchange at a
 * time (no pipelining).
 *
 * <p>The read buffer holds only what is not consumed yet: an incomplete head (it grows up to
 * {@link #MAX_HEAD} for a large one); body bytes are counted and dropped as they arrive.
 *
 * <p>Threading: used only on its loop's thread.
 */
final class PlainConnection {

    /** Initial read buffer: a typical head and a small body in one read. */
    static final int BUFFER = 16 * 1024;

    /** Largest response head accepted; a longer one fails the exchange as not HTTP. */
    static final int MAX_HEAD = 1024 * 1024;

    private final SelectorLoop loop;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final List<RequestBytes> requests;
    /** This connection's view of each encoded request, rewound before each write. */
    private final ByteBuffer[] views;

    private final ResponseFraming framing = new ResponseFraming();
    private ByteBuffer in = ByteBuffer.allocate(BUFFER);
    private @Nullable ByteBuffer out;
    private @Nullable Exchange exchange;
    private boolean connecting;
    private boolean closed;

    private PlainConnection(SelectorLoop loop, SocketChannel channel, Selector selector, List<RequestBytes> requests)
            throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.requests = requests;
        this.views = new ByteBuffer[requests.size()];
        for (int i = 0; i < views.length; i++) {
            views[i] = requests.get(i).view();
        }
        this.key = channel.register(selector, 0, this);
    }

    /** A connection not connected yet; {@link #connect} starts it. */
    static PlainConnection open(SelectorLoop loop, Selector selector, List<RequestBytes> requests) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return new PlainConnection(loop, channel, selector, requests);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Starts connecting to {@code address}; {@code first} is sent once connected.
     *
     * @throws IOException when the connection is refused at once (the caller records it)
     */
    void connect(InetSocketAddress address, Exchange first) throws IOException {
        exchange = first;
        if (channel.connect(address)) {
            connected();
        } else {
            connecting = true;
            key.interestOps(SelectionKey.OP_CONNECT);
        }
    }

    /** The exchange on this connection, or null when it is idle. */
    @Nullable
    Exchange exchange() {
        return exchange;
    }

    /** Sends {@code next} on this idle, connected connection. */
    void start(Exchange next) {
        exchange = next;
        send();
    }

    void ready(int ops) {
        if (connecting && (ops & SelectionKey.OP_CONNECT) != 0) {
            finishConnect();
            return;
        }
        if ((ops & SelectionKey.OP_WRITE) != 0) {
            write();
        }
        if ((ops & SelectionKey.OP_READ) != 0 && !closed) {
            read();
        }
    }

    /** Closes the socket without recording anything; the caller decides what the exchange was. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        loop.closed(this);
    }

    private void finishConnect() {
        try {
            channel.finishConnect();
        } catch (IOException e) {
            fail();
            return;
        }
        connecting = false;
        connected();
    }

    private void connected() {
        key.interestOps(SelectionKey.OP_READ);
        send();
    }

    private void send() {
        Exchange current = Objects.requireNonNull(exchange, "a connection sends only for an exchange");
        if (!loop.begin(current)) {
            exchange = null; // timed out while waiting for this connection
            loop.release(this);
            return;
        }
        framing.reset(requests.get(current.request).head());
        ByteBuffer view = views[current.request];
        view.rewind();
        out = view;
        write();
    }

    private void write() {
        ByteBuffer pending = Objects.requireNonNull(out, "write() runs only after send() chose a request");
        try {
            channel.write(pending);
        } catch (IOException e) {
            fail();
            return;
        }
        int wanted = pending.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
        if (key.interestOps() != wanted) {
            key.interestOps(wanted);
        }
    }

    private void read() {
        int count;
        try {
            count = channel.read(in);
        } catch (IOException e) {
            fail();
            return;
        }
        if (count < 0) {
            endOfStream();
            return;
        }
        if (exchange == null) {
            in.clear(); // bytes nobody asked for on an idle connection
            return;
        }
        int consumed;
        try {
            consumed = framing.consume(in.array(), 0, in.position());
        } catch (IOException notHttp) {
            fail();
            return;
        }
        if (framing.done()) {
            in.clear();
            answered();
        } else if (consumed == in.position()) {
            in.clear();
        } else {
            keepUnconsumed(consumed);
        }
    }

    /** Keeps bytes not consumed yet (an incomplete head) at the start of the buffer, growing it when full. */
    private void keepUnconsumed(int consumed) {
        if (consumed == 0 && !in.hasRemaining()) {
            if (in.capacity() >= MAX_HEAD) {
                fail();
                return;
            }
            ByteBuffer larger = ByteBuffer.allocate(in.capacity() * 2);
            in.flip();
            in = larger.put(in);
            return;
        }
        in.flip().position(consumed);
        in.compact();
    }

    private void endOfStream() {
        if (exchange != null && framing.endsAtClose()) {
            answered();
        } else if (exchange != null) {
            fail();
            return;
        }
        close();
    }

    /** The answer ended: free the connection (or close it), then record, which may send the next request. */
    private void answered() {
        Exchange ended = Objects.requireNonNull(exchange, "an answer arrives only for an exchange");
        int status = framing.status();
        long bodyBytes = framing.bodyBytes();
        exchange = null;
        if (framing.keepAlive() && !closed) {
            loop.release(this);
        } else {
            close();
        }
        loop.answered(ended, status, bodyBytes);
    }

    /** Closes and records the exchange as a connection error, from the loop's task queue (see {@link SelectorLoop}). */
    private void fail() {
        Exchange failed = exchange;
        exchange = null;
        close();
        if (failed != null) {
            loop.failLater(failed);
        }
    }
}
