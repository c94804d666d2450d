package io.switchboard.distribute.client.internal;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Lets at most {@code permits} asynchronous operations run at once and queues the rest, in order,
 * without blocking anybody. The client puts every HTTP request through one: with HTTP/1.1 each
 * request in flight holds a connection (a long poll holds it for up to a minute), so thousands of
 * {@code runAsync} calls would otherwise open thousands of connections to the server.
 *
 * <p>A queued operation starts on {@code executor} rather than in the callback of the one that
 * finished, so that a run of operations completing at once (a closed client fails them all
 * synchronously) cannot grow the stack.
 */
public final class AsyncLimiter {

    private final int permits;
    private final Executor executor;

    // Guarded by this.
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    public AsyncLimiter(int permits, Executor executor) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be positive, was " + permits);
        }
        this.permits = permits;
        this.executor = executor;
    }

    /** Starts {@code operation} now if a permit is free, else once one is; the permit returns when it completes. */
    public <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> start(operation, result);
        synchronized (this) {
            if (running >= permits) {
                waiting.add(start);
                return result;
            }
            running++;
        }
        start.run();
        return result;
    }

    /** Operations waiting for a permit. */
    synchronized int queued() {
        return waiting.size();
    }

    private <T> void start(Supplier<CompletableFuture<T>> operation, CompletableFuture<T> result) {
        CompletableFuture<T> started;
        try {
            started = operation.get();
        } catch (RuntimeException e) {
            release();
            result.completeExceptionally(e);
            return;
        }
        var _ = started.whenComplete((value, failure) -> {
            release();
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        });
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
                return;
            }
        }
        executor.execute(next);
    }
}
