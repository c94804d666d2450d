package io.switchboard.compute.execution;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.switchboard.compute.math.Cancellation;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Runs computations off the event loop, sharing and caching them.
 *
 * <p><b>Bounded.</b> A fixed pool sized to the cores with a bounded queue: when both are full,
 * {@link #submit} throws {@link RejectedExecutionException} at once (the service answers 503),
 * rather than letting CPU-bound work pile up behind itself.
 *
 * <p><b>Shared.</b> Identical requests in flight join one computation ({@link Ticket.Source#SHARED}).
 *
 * <p><b>Cancelled when abandoned.</b> Each caller holds a {@link Ticket}; when the last waiting
 * caller abandons it (its client disconnected), the computation's {@link Cancellation} flips and
 * the algorithm stops at its next step.
 *
 * <p><b>Cached by size.</b> Finished results stay in a Caffeine cache bounded by the bytes of their
 * decimal form, not by entry count: one F(10^7) weighs as much as a million small answers.
 *
 * @param <K> the key identifying a computation (function and arguments)
 */
public final class ComputeExecutor<K> implements AutoCloseable {

    /** Bookkeeping per cached entry beyond its characters (key, record, map node). */
    private static final int ENTRY_OVERHEAD_BYTES = 128;

    private final ThreadPoolExecutor pool;
    private final ConcurrentHashMap<K, SharedComputation> inFlight = new ConcurrentHashMap<>();
    private final Cache<K, ComputedResult> cache;
    /** False when the cache is off (0 bytes): Caffeine evicts asynchronously, so it would still serve. */
    private final boolean caching;

    private final AtomicLong cancelled = new AtomicLong();

    public ComputeExecutor(int threads, int queueCapacity, long cacheBytes) {
        if (threads < 1) {
            throw new IllegalArgumentException("compute threads must be at least 1, was " + threads);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("compute queue must be at least 1, was " + queueCapacity);
        }
        this.pool = new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity),
                daemonThreads(),
                new ThreadPoolExecutor.AbortPolicy());
        this.caching = cacheBytes > 0;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(cacheBytes)
                .<K, ComputedResult>weigher(
                        (key, result) -> saturatedInt(result.decimal().length() + ENTRY_OVERHEAD_BYTES))
                .build();
    }

    /**
     * Returns the cached result, joins an identical computation, or starts {@code work}.
     *
     * @throws RejectedExecutionException when the pool and its queue are full
     */
    public Ticket submit(K key, Function<Cancellation, String> work) {
        ComputedResult cached = cache.getIfPresent(key);
        if (cached != null) {
            return new Ticket(CompletableFuture.completedFuture(cached), Ticket.Source.CACHE, () -> {});
        }
        boolean[] joined = {false};
        SharedComputation shared = inFlight.compute(key, (k, existing) -> {
            if (existing != null && existing.tryJoin()) {
                joined[0] = true;
                return existing;
            }
            return new SharedComputation();
        });
        if (!joined[0]) {
            start(key, shared, work);
        }
        return new Ticket(shared.result, joined[0] ? Ticket.Source.SHARED : Ticket.Source.COMPUTED, shared::leave);
    }

    private void start(K key, SharedComputation shared, Function<Cancellation, String> work) {
        try {
            pool.execute(() -> run(key, shared, work));
        } catch (RejectedExecutionException e) {
            inFlight.remove(key, shared);
            // Callers may have joined between publishing the computation and this refusal; without
            // this they would wait for a result nobody computes.
            shared.result.completeExceptionally(e);
            throw e;
        }
    }

    private void run(K key, SharedComputation shared, Function<Cancellation, String> work) {
        try {
            shared.cancellation.check();
            long start = System.nanoTime();
            String decimal = work.apply(shared.cancellation);
            ComputedResult result = new ComputedResult(decimal, Duration.ofNanos(System.nanoTime() - start));
            if (caching) {
                cache.put(key, result);
            }
            shared.result.complete(result);
        } catch (CancellationException e) {
            cancelled.incrementAndGet();
            shared.result.completeExceptionally(e);
        } catch (RuntimeException | OutOfMemoryError e) {
            shared.result.completeExceptionally(e);
        } finally {
            inFlight.remove(key, shared);
        }
    }

    /** Computations running or queued, for the metrics gauge. */
    public int inFlight() {
        return inFlight.size();
    }

    /** Computations stopped early because every caller abandoned them. */
    public long cancelledCount() {
        return cancelled.get();
    }

    /** Computations waiting for a thread. */
    public int queued() {
        return pool.getQueue().size();
    }

    /** Bytes of cached results, as the cache weighs them. */
    public long cachedBytes() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /** Stops the pool; callers still waiting, also for computations never started, fail at once. */
    @Override
    public void close() {
        pool.shutdownNow();
        RejectedExecutionException closed = new RejectedExecutionException("the compute executor was closed");
        inFlight.values().forEach(shared -> shared.result.completeExceptionally(closed));
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "compute-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static int saturatedInt(long value) {
        return (int) Math.min(Integer.MAX_VALUE, value);
    }

    /** One computation and the callers waiting for it. */
    private static final class SharedComputation {

        final CompletableFuture<ComputedResult> result = new CompletableFuture<>();
        private int waiters = 1;
        private volatile boolean cancelled;
        final Cancellation cancellation = () -> cancelled;

        /** Adds a waiter unless the computation was already given up. */
        synchronized boolean tryJoin() {
            if (cancelled) {
                return false;
            }
            waiters++;
            return true;
        }

        /** Removes a waiter; the last one to leave cancels the computation if it is still running. */
        synchronized void leave() {
            if (--waiters == 0 && !result.isDone()) {
                cancelled = true;
                result.cancel(false);
            }
        }
    }
}
