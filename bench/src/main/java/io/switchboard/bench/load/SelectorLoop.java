package io.switchboard.bench.load;

import io.switchboard.bench.Ticker;
import io.switchboard.bench.measure.StepRecorder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One I/O thread of {@link PlainHttpTransport}: a selector, up to {@code maxConnections}
 * keep-alive connections to the origin, the exchanges waiting for one, and the timeouts.
 *
 * <p>An exchange takes an idle connection, else opens one while under the limit, else waits in
 * FIFO order (the open model's queue, whose wait counts in its latency). A connection that ends
 * its answer keeps alive goes to the next waiting exchange or back to the idle ones.
 *
 * <p>Timeouts: every {@code timeout / 4} (within {@link VertxTransport#MIN_SWEEP_MS} and {@link
 * VertxTransport#MAX_SWEEP_MS}) the loop fails the exchanges past their deadline, whether still
 * waiting or on the wire, and closes the connection of one on the wire, as the Vert.x transport
 * does: an exchange counts as a timeout when it outlasts {@code timeout} as a whole.
 *
 * <p>Threading: everything but {@link #execute}, {@link #exchange} and {@link #stop} runs on the
 * loop's own thread, so nothing here is locked. Completing an exchange runs its listeners (the
 * load model's next request) on this thread; failures detected while sending are completed from
 * the task queue instead, so a refused connection cannot recurse through the next attempt.
 */
final class SelectorLoop implements Runnable {

    private final Selector selector;
    private final InetSocketAddress address;
    private final List<RequestBytes> requests;
    private final int maxConnections;
    private final long timeoutNanos;
    private final long sweepNanos;
    private final Ticker ticker;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<PlainConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
    private final List<PlainConnection> connections = new ArrayList<>();
    private final Promise<Void> stopped = Promise.promise();
    private boolean running = true;

    private SelectorLoop(
            Selector selector,
            int index,
            InetSocketAddress address,
            List<RequestBytes> requests,
            int maxConnections,
            Duration timeout,
            Ticker ticker) {
        this.selector = selector;
        this.address = address;
        this.requests = requests;
        this.maxConnections = maxConnections;
        this.timeoutNanos = timeout.toNanos();
        this.sweepNanos = Math.clamp(timeout.toMillis() / 4, VertxTransport.MIN_SWEEP_MS, VertxTransport.MAX_SWEEP_MS)
                * 1_000_000L;
        this.ticker = ticker;
        // Daemon: a run that fails half-way must not keep the JVM alive on an idle selector.
        this.thread = Thread.ofPlatform().name("bench-io-" + index).daemon(true).unstarted(this);
    }

    static SelectorLoop start(
            int index,
            InetSocketAddress address,
            List<RequestBytes> requests,
            int maxConnections,
            Duration timeout,
            Ticker ticker)
            throws IOException {
        SelectorLoop loop =
                new SelectorLoop(Selector.open(), index, address, requests, maxConnections, timeout, ticker);
        loop.thread.start();
        return loop;
    }

    /** One request in flight or waiting for a connection. */
    static final class Exchange {
        final long intendedNanos;
        final long deadlineNanos;
        final int request;
        final StepRecorder recorder;
        final Promise<Void> done = Promise.promise();
        long sentNanos = -1;
        boolean finished;

        Exchange(long intendedNanos, long deadlineNanos, int request, StepRecorder recorder) {
            this.intendedNanos = intendedNanos;
            this.deadlineNanos = deadlineNanos;
            this.request = request;
            this.recorder = recorder;
        }
    }

    /** Runs {@code task} on this loop's thread (later, even when called on it). */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Sends request {@code request}; the future completes on this loop's thread once it is recorded. */
    Future<Void> exchange(long intendedNanos, int request, StepRecorder recorder) {
        Exchange exchange = new Exchange(intendedNanos, ticker.nanoTime() + timeoutNanos, request, recorder);
        if (Thread.currentThread() == thread) {
            submit(exchange);
        } else {
            execute(() -> submit(exchange));
        }
        return exchange.done.future();
    }

    /** Closes every connection and ends the thread; completes once it has. */
    Future<Void> stop() {
        execute(() -> running = false);
        return stopped.future();
    }

    @Override
    public void run() {
        long nextSweep = ticker.nanoTime() + sweepNanos;
        try {
            while (running) {
                runTasks();
                if (!running) {
                    break;
                }
                if (tasks.isEmpty()) {
                    selector.select(this::ready, Math.max(1, sweepNanos / 1_000_000));
                } else {
                    selector.selectNow(this::ready);
                }
                long now = ticker.nanoTime();
                if (now >= nextSweep) {
                    sweep(now);
                    nextSweep = now + sweepNanos;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (PlainConnection connection : List.copyOf(connections)) {
                connection.close();
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
            stopped.complete();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                report(e);
            }
        }
    }

    private void ready(SelectionKey key) {
        try {
            ((PlainConnection) key.attachment()).ready(key.readyOps());
        } catch (RuntimeException e) {
            report(e);
        }
    }

    /**
     * A listener of an exchange (the load model's code) threw: report it as an uncaught exception
     * would be, and keep the loop serving its other connections, as an event loop does.
     */
    private void report(RuntimeException e) {
        thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
    }

    private void submit(Exchange exchange) {
        PlainConnection connection = idle.pollLast();
        if (connection != null) {
            connection.start(exchange);
        } else if (connections.size() < maxConnections) {
            connect(exchange);
        } else {
            waiting.addLast(exchange);
        }
    }

    private void connect(Exchange exchange) {
        PlainConnection connection;
        try {
            connection = PlainConnection.open(this, selector, requests);
        } catch (IOException e) {
            failLater(exchange);
            return;
        }
        connections.add(connection);
        try {
            connection.connect(address, exchange);
        } catch (IOException e) {
            connection.close();
            failLater(exchange); // refused at once (loopback does that)
        }
    }

    /**
     * Records a connection error from the task queue rather than inside the caller's stack: its
     * listener sends the next request, which may fail at once again, and must not recurse.
     */
    void failLater(Exchange exchange) {
        tasks.add(() -> failed(exchange));
    }

    /** Sets the send time of an exchange about to be written; null when it already ended (timed out). */
    boolean begin(Exchange exchange) {
        if (exchange.finished) {
            return false;
        }
        exchange.sentNanos = ticker.nanoTime();
        return true;
    }

    /** A connection ready for another request: the next waiting exchange, else the idle list. */
    void release(PlainConnection connection) {
        Exchange next;
        while ((next = waiting.pollFirst()) != null) {
            if (!next.finished) {
                connection.start(next);
                return;
            }
        }
        idle.addLast(connection);
    }

    /** A connection closed: it leaves the pool (a new one is opened on demand). */
    void closed(PlainConnection connection) {
        connections.remove(connection);
        idle.remove(connection);
    }

    /** Records an answer read to its end. */
    void answered(Exchange exchange, int status, long bodyBytes) {
        if (exchange.finished) {
            return;
        }
        long now = ticker.nanoTime();
        exchange.recorder.response(status, now - exchange.intendedNanos, now - exchange.sentNanos, bodyBytes);
        finish(exchange);
    }

    /** Records a refused, reset or broken connection, or an answer that is not HTTP. */
    private void failed(Exchange exchange) {
        if (exchange.finished) {
            return;
        }
        exchange.recorder.connectionError();
        finish(exchange);
    }

    private void sweep(long now) {
        Exchange head;
        while ((head = waiting.peekFirst()) != null && (head.finished || head.deadlineNanos <= now)) {
            waiting.pollFirst();
            expire(head, now);
        }
        for (int i = connections.size() - 1; i >= 0; i--) {
            PlainConnection connection = connections.get(i);
            Exchange exchange = connection.exchange();
            if (exchange != null && exchange.deadlineNanos <= now) {
                connection.close(); // reset: the rest of a late answer is not read
                expire(exchange, now);
            }
        }
    }

    private void expire(Exchange exchange, long now) {
        if (exchange.finished) {
            return;
        }
        long sent = exchange.sentNanos < 0 ? now : exchange.sentNanos;
        exchange.recorder.timeout(now - exchange.intendedNanos, now - sent);
        finish(exchange);
    }

    private static void finish(Exchange exchange) {
        exchange.finished = true;
        exchange.done.complete();
    }
}
