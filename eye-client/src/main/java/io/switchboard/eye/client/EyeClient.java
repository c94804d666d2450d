package io.switchboard.eye.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events to the eye in batches, asynchronously, retrying what may be retried, keeping each
 * session's events in the order they were sent.
 *
 * <h2>Ordering: lanes</h2>
 *
 * Events are spread over {@code maxInFlight} lanes by their session id (a hash, as Kafka spreads
 * keys over partitions). Each lane batches its own events and has at most one batch on the way:
 * the next batch of a lane leaves only once the previous one is acknowledged, failed for good or
 * dropped after its retries. So a session's batches reach the server in the order they were sent,
 * retries included, and the server's {@code session-order} rule never sees a session's events
 * reordered by this client; up to {@code maxInFlight} batches of different lanes travel at once.
 * The price: one busy session gets no pipelining, and a lane waits for its slowest batch. The
 * server also tolerates reordering within {@code --eye-session-reorder-window}, for clients that
 * do not keep order (several processes sending one session, say).
 *
 * <h2>Retries</h2>
 *
 * A batch answered 429, 500, 502, 503 or 504, or lost to a connection error or a timeout, is sent
 * again after an exponential backoff with full jitter, never sooner than the server's {@code
 * Retry-After} (seconds or an HTTP date). Every event carries a client-generated id, so a retry of
 * a batch the server did store is acknowledged without storing anything twice. A 413 splits the
 * batch in halves, sent one after the other, down to single events: only an event that is too
 * large alone fails. Any other answer (400, 401, 403, 415) fails the batch's events at once with
 * {@link EyeClientException}. {@link Builder#giveUpAfter} bounds the whole effort per batch.
 *
 * <h2>Memory</h2>
 *
 * Events accepted and not yet settled are bounded by {@link Builder#maxBuffered} in count and bytes
 * (their JSON); a full buffer drops the new event or makes {@code send} wait, as {@link
 * Builder#whenFull} says. Batches are bounded by {@code batchSize} events and {@code maxBatchBytes};
 * a batch larger than {@code gzipAbove} bytes is sent gzip-compressed.
 *
 * <h2>Threads</h2>
 *
 * {@link #send} serialises the event on the caller's thread (a bad payload fails there), then only
 * takes a lock. One scheduler thread runs linger and retry timers and builds request bodies; the
 * HTTP client's threads read answers; futures complete and the {@link Listener} runs on the
 * configured {@link Builder#executor} (by default the thread that settled the batch). {@link
 * #flush} waits until everything sent before it is settled; {@link #close} refuses new events,
 * flushes, then stops the threads it owns.
 */
public final class EyeClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EyeClient.class);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The server's default largest batch; more events per request would be refused with 400. */
    public static final int MAX_BATCH_SIZE = 1000;

    /** Receives the outcome of every event; each method has a no-op default, override what you need. */
    public interface Listener {

        /** A batch was acknowledged: every event in it is durable on the server. */
        default void acknowledged(List<Ack> acks) {}

        /** Events refused for good or not delivered within the retries. */
        default void failed(List<Event> events, EyeClientException error) {}

        /** An event was not buffered because the buffer was full. */
        default void dropped(Event event, EyeClientException reason) {}

        /** A batch of {@code events} events will be sent again after {@code delay}; {@code cause} says why. */
        default void retrying(int events, int attempt, Duration delay, String cause) {}
    }

    private record Pending(Event event, byte[] json, CompletableFuture<Ack> ack) {}

    /**
     * Events sent in one request, the lane they belong to, and when they became ready to leave
     * (the give-up clock starts there).
     */
    private record Batch(Lane lane, List<Pending> events, long bytes, long readyNanos) {

        Batch half(int from, int to) {
            List<Pending> part = List.copyOf(events.subList(from, to));
            return new Batch(
                    lane, part, part.stream().mapToLong(p -> p.json().length).sum(), readyNanos);
        }
    }

    /** One ordered stream of batches; all fields guarded by {@link #lock}. */
    private static final class Lane {
        List<Pending> buffer = new ArrayList<>();
        long bufferBytes;
        final ArrayDeque<Batch> ready = new ArrayDeque<>();
        boolean busy;
        boolean lingerScheduled;
    }

    private final URI endpoint;
    private final String apiKey;
    private final int batchSize;
    private final long maxBatchBytes;
    private final int gzipAbove;
    private final Duration linger;
    private final RetryPolicy retries;
    private final Duration requestTimeout;
    private final @Nullable Duration giveUpAfter;
    private final int maxBufferedEvents;
    private final long maxBufferedBytes;
    private final Overflow overflow;
    private final Duration blockTimeout;
    private final String userAgent;
    private final Listener listener;
    private final Executor executor;
    private final HttpClient http;
    private final boolean ownsHttp;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;

    private final Set<CompletableFuture<Ack>> outstanding = ConcurrentHashMap.newKeySet();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder splits = new LongAdder();

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever buffered events are settled, or the client closes. */
    private final Condition room = lock.newCondition();

    // Guarded by lock.
    private final Lane[] lanes;
    private int bufferedEvents;
    private long bufferedBytes;
    private boolean closed;

    private EyeClient(Builder b) {
        this.endpoint = b.baseUri.resolve("/events");
        this.apiKey = b.apiKey;
        this.batchSize = b.batchSize;
        this.maxBatchBytes = b.maxBatchBytes;
        this.gzipAbove = b.gzipAbove;
        this.linger = b.linger;
        this.retries = new RetryPolicy(
                b.maxRetries,
                b.initialBackoff,
                b.maxBackoff,
                b.clock,
                bound -> ThreadLocalRandom.current().nextLong(bound));
        this.requestTimeout = b.requestTimeout;
        this.giveUpAfter = b.giveUpAfter;
        this.maxBufferedEvents = b.maxBufferedEvents;
        this.maxBufferedBytes = b.maxBufferedBytes;
        this.overflow = b.overflow;
        this.blockTimeout = b.blockTimeout;
        this.userAgent = b.userAgent;
        this.listener = b.listener;
        this.executor = b.executor;
        this.ownsHttp = b.httpClient == null;
        this.http = ownsHttp
                ? HttpClient.newBuilder()
                        .connectTimeout(b.connectTimeout)
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()
                : Objects.requireNonNull(b.httpClient, "set when not owned");
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = ownsScheduler
                ? Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "eye-client");
                    thread.setDaemon(true);
                    return thread;
                })
                : Objects.requireNonNull(b.scheduler, "set when not owned");
        this.lanes = new Lane[b.maxInFlight];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane();
        }
    }

    /** A client of the eye at {@code baseUri} (e.g. {@code http://127.0.0.1:8080}) with an API key. */
    public static Builder builder(URI baseUri, String apiKey) {
        return new Builder(baseUri, apiKey);
    }

    /**
     * Buffers {@code event}; the future completes once the server acknowledged it as durable, or
     * fails with {@link EyeClientException} when it was refused, undeliverable or dropped.
     *
     * @throws IllegalArgumentException when the event's data cannot be written as JSON or it alone
     *     is larger than the buffer's byte bound
     * @throws IllegalStateException once {@link #close} has started
     */
    // The set holds the very futures handed out; a CompletableFuture equals only itself.
    @SuppressWarnings("UndefinedEquals")
    public CompletableFuture<Ack> send(Event event) {
        Objects.requireNonNull(event, "event");
        byte[] json = json(event);
        if (json.length > maxBufferedBytes) {
            throw new IllegalArgumentException("event " + event.id() + " is " + json.length
                    + " bytes as JSON, more than maxBuffered bytes (" + maxBufferedBytes + ")");
        }
        Pending pending = new Pending(event, json, new CompletableFuture<>());
        Batch sealed = null;
        EyeClientException full = null;
        lock.lock();
        try {
            // The closed check comes before anything is counted, so a refused event leaves no trace.
            requireOpen();
            if (!reserve(json.length)) {
                full = new EyeClientException(
                        0,
                        "dropped: the client's buffer is full (" + bufferedEvents + " events, " + bufferedBytes
                                + " bytes buffered; bounds " + maxBufferedEvents + " and " + maxBufferedBytes + ")",
                        null);
                dropped.increment();
                return pending.ack();
            }
            outstanding.add(pending.ack());
            var _ = pending.ack().whenComplete((ack, failure) -> outstanding.remove(pending.ack()));
            Lane lane = laneOf(event.sessionId());
            if (!lane.buffer.isEmpty() && lane.bufferBytes + json.length > maxBatchBytes) {
                seal(lane);
            }
            lane.buffer.add(pending);
            lane.bufferBytes += json.length;
            if (lane.buffer.size() >= batchSize || lane.bufferBytes >= maxBatchBytes) {
                seal(lane);
            } else if (!lane.lingerScheduled) {
                lane.lingerScheduled = true;
                var _ = scheduler.schedule(() -> sealOnLinger(lane), linger.toNanos(), TimeUnit.NANOSECONDS);
            }
            sealed = next(lane);
        } finally {
            lock.unlock();
            if (full != null) {
                drop(pending, full); // outside the lock: user callbacks must not run under it
            }
        }
        dispatch(sealed);
        return pending.ack();
    }

    private void drop(Pending pending, EyeClientException reason) {
        executor.execute(() -> {
            notify(() -> listener.dropped(pending.event(), reason));
            pending.ack().completeExceptionally(reason);
        });
    }

    /** Sends what is buffered and waits until every event sent so far is acknowledged or failed. */
    public void flush() {
        sealAll();
        CompletableFuture.allOf(outstanding.toArray(CompletableFuture[]::new))
                .handle((ok, failure) -> null)
                .join();
    }

    /**
     * Sends what is buffered and waits at most {@code timeout} for every event sent so far to be
     * acknowledged or failed.
     *
     * @return whether everything was settled in time (events still on the way keep going)
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        sealAll();
        try {
            CompletableFuture.allOf(outstanding.toArray(CompletableFuture[]::new))
                    .handle((ok, failure) -> null)
                    .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("unreachable: failures are handled", e);
        }
    }

    /** The client's counters now. */
    public Stats stats() {
        lock.lock();
        try {
            return new Stats(
                    acknowledged.sum(),
                    duplicates.sum(),
                    failed.sum(),
                    dropped.sum(),
                    retried.sum(),
                    splits.sum(),
                    bufferedEvents,
                    bufferedBytes);
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new events, flushes, then releases the threads and HTTP client the client created. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            room.signalAll(); // senders waiting for room give up rather than outlive the client
        } finally {
            lock.unlock();
        }
        flush();
        if (ownsScheduler) {
            scheduler.shutdown();
        }
        if (ownsHttp) {
            http.close();
        }
    }

    // --- buffering (caller holds the lock)

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the eye client is closed");
        }
    }

    /** Counts an event of {@code bytes} into the buffer, waiting for room if the policy says so. */
    private boolean reserve(int bytes) {
        long waitNanos = overflow == Overflow.BLOCK ? blockTimeout.toNanos() : 0;
        while (bufferedEvents >= maxBufferedEvents || bufferedBytes + bytes > maxBufferedBytes) {
            if (waitNanos <= 0) {
                return false;
            }
            try {
                waitNanos = room.awaitNanos(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            requireOpen();
        }
        bufferedEvents++;
        bufferedBytes += bytes;
        return true;
    }

    private Lane laneOf(String sessionId) {
        return lanes[Math.floorMod(sessionId.hashCode(), lanes.length)];
    }

    private void seal(Lane lane) {
        lane.ready.add(new Batch(lane, lane.buffer, lane.bufferBytes, System.nanoTime()));
        lane.buffer = new ArrayList<>();
        lane.bufferBytes = 0;
    }

    /** The lane's next batch to send, marking the lane busy; null when it is busy or has none. */
    private static @Nullable Batch next(Lane lane) {
        if (lane.busy || lane.ready.isEmpty()) {
            return null;
        }
        lane.busy = true;
        return lane.ready.poll();
    }

    private void sealOnLinger(Lane lane) {
        Batch sealed;
        lock.lock();
        try {
            lane.lingerScheduled = false;
            if (!lane.buffer.isEmpty()) {
                seal(lane);
            }
            sealed = next(lane);
        } finally {
            lock.unlock();
        }
        dispatch(sealed);
    }

    private void sealAll() {
        List<Batch> sealed = new ArrayList<>();
        lock.lock();
        try {
            for (Lane lane : lanes) {
                if (!lane.buffer.isEmpty()) {
                    seal(lane);
                }
                Batch batch = next(lane);
                if (batch != null) {
                    sealed.add(batch);
                }
            }
        } finally {
            lock.unlock();
        }
        sealed.forEach(this::dispatch);
    }

    // --- sending

    /**
     * Starts {@code batch} on the scheduler thread: building a body (and gzip) stays off the
     * caller's thread, and a chain of batches that fail at once never recurses.
     */
    private void dispatch(@Nullable Batch batch) {
        if (batch != null) {
            scheduler.execute(() -> attempt(batch, 0));
        }
    }

    private void attempt(Batch batch, int retry) {
        if (retry == 0 && giveUpAfter != null && System.nanoTime() - batch.readyNanos() > giveUpAfter.toNanos()) {
            // Waited behind batches that were retrying for as long as it may take: not sent at all.
            settle(batch, null, new EyeClientException(0, "not sent: gave up after " + giveUpAfter, null));
            return;
        }
        HttpRequest request;
        try {
            request = request(batch);
        } catch (RuntimeException e) {
            settle(batch, null, new EyeClientException(0, "the batch could not be prepared: " + e, e));
            return;
        }
        var _ = http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> handle(batch, retry, response, failure));
    }

    private HttpRequest request(Batch batch) {
        BatchBody body = BatchBody.of(batch.events().stream().map(Pending::json).toList(), gzipAbove);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .header("User-Agent", userAgent);
        if (body.gzip()) {
            request.header("Content-Encoding", "gzip");
        }
        return request.POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                .build();
    }

    private void handle(Batch batch, int retry, HttpResponse<String> response, Throwable failure) {
        int status = failure == null ? response.statusCode() : 0;
        if (failure == null && status / 100 == 2) {
            settle(batch, acks(batch.events(), response.body()), null);
            return;
        }
        if (status == 413 && batch.events().size() > 1) {
            split(batch);
            return;
        }
        boolean retryable = RetryPolicy.retryable(status);
        String cause = failure != null
                ? String.valueOf(failure.getCause() == null ? failure : failure.getCause())
                : "HTTP " + status;
        if (!retryable || !retries.allows(retry)) {
            String why = failure != null
                    ? "no answer after " + (retry + 1) + " attempts: " + cause
                    : "HTTP " + status + (retryable ? " after " + (retry + 1) + " attempts" : "") + ": "
                            + response.body();
            settle(batch, null, new EyeClientException(status, why, failure));
            return;
        }
        Duration delay = retries.delay(
                retry,
                response == null
                        ? null
                        : response.headers().firstValue("Retry-After").orElse(null));
        if (giveUpAfter != null && System.nanoTime() + delay.toNanos() - batch.readyNanos() > giveUpAfter.toNanos()) {
            settle(
                    batch,
                    null,
                    new EyeClientException(
                            status,
                            "gave up after " + giveUpAfter + " and " + (retry + 1) + " attempts; last: " + cause,
                            failure));
            return;
        }
        retried.increment();
        Duration wait = delay;
        notify(() -> listener.retrying(batch.events().size(), retry + 1, wait, cause));
        var _ = scheduler.schedule(() -> attempt(batch, retry + 1), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A 413: the halves go first in the lane, in order, so the session's order is kept. */
    private void split(Batch batch) {
        splits.increment();
        int middle = batch.events().size() / 2;
        Batch next;
        lock.lock();
        try {
            Lane lane = batch.lane();
            lane.ready.addFirst(batch.half(middle, batch.events().size()));
            lane.ready.addFirst(batch.half(0, middle));
            lane.busy = false;
            next = next(lane);
        } finally {
            lock.unlock();
        }
        dispatch(next);
    }

    /** Ends a batch one way or the other: frees its room and its lane, then tells the caller. */
    private void settle(Batch batch, @Nullable List<Ack> acks, @Nullable EyeClientException error) {
        Batch next;
        lock.lock();
        try {
            bufferedEvents -= batch.events().size();
            bufferedBytes -= batch.bytes();
            room.signalAll();
            batch.lane().busy = false;
            next = next(batch.lane());
        } finally {
            lock.unlock();
        }
        dispatch(next);
        if (acks != null) {
            acknowledged.add(acks.size());
            duplicates.add(acks.stream().filter(Ack::duplicate).count());
        } else {
            failed.add(batch.events().size());
        }
        executor.execute(() -> {
            // The listener hears first, so whoever waits on a future sees the listener's effects.
            if (acks != null) {
                notify(() -> listener.acknowledged(acks));
                for (int i = 0; i < acks.size(); i++) {
                    batch.events().get(i).ack().complete(acks.get(i));
                }
            } else {
                List<Event> events = batch.events().stream().map(Pending::event).toList();
                EyeClientException cause = Objects.requireNonNull(error, "a batch settles with acks or an error");
                notify(() -> listener.failed(events, cause));
                batch.events().forEach(p -> p.ack().completeExceptionally(cause));
            }
        });
    }

    /** A listener's exception must not stop the client. */
    private static void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("eye client listener failed", e);
        }
    }

    private static List<Ack> acks(List<Pending> batch, String body) {
        Set<String> duplicateIds = new HashSet<>();
        try {
            JsonNode json = JSON.readTree(body);
            json.path("duplicate_ids").forEach(id -> duplicateIds.add(id.asText()));
        } catch (IOException e) {
            // The 2xx is what matters; without a readable body nobody is marked a duplicate.
        }
        return batch.stream()
                .map(p ->
                        new Ack(p.event().id(), duplicateIds.contains(p.event().id())))
                .toList();
    }

    private static byte[] json(Event event) {
        try {
            return JSON.writeValueAsBytes(event.toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "event " + event.id() + ": its data cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Settings of an {@link EyeClient}; each checked when set, with the setting's name in the message. */
    public static final class Builder {
        private final URI baseUri;
        private final String apiKey;
        private int batchSize = 100;
        private long maxBatchBytes = 512 * 1024;
        private int gzipAbove = 8 * 1024;
        private Duration linger = Duration.ofMillis(20);
        private int maxInFlight = 4;
        private int maxRetries = 8;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private @Nullable Duration giveUpAfter;
        private int maxBufferedEvents = 10_000;
        private long maxBufferedBytes = 16L * 1024 * 1024;
        private Overflow overflow = Overflow.DROP;
        private Duration blockTimeout = Duration.ZERO;
        private String userAgent = "switchboard-eye-client/" + version();
        private Clock clock = Clock.systemUTC();
        private Listener listener = new Listener() {};
        private Executor executor = Runnable::run;
        private @Nullable HttpClient httpClient;
        private @Nullable ScheduledExecutorService scheduler;

        private Builder(URI baseUri, String apiKey) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        }

        /** Events per request, 1 to {@value #MAX_BATCH_SIZE} (the server's default limit). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
                throw new IllegalArgumentException(
                        "batchSize must be from 1 to " + MAX_BATCH_SIZE + ", was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Largest request body before compression; a batch is sealed before it grows past this (a
         * single larger event travels alone). Keep it under the server's {@code --max-body-bytes}.
         */
        public Builder maxBatchBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBatchBytes must be positive, was " + bytes);
            }
            this.maxBatchBytes = bytes;
            return this;
        }

        /** Bodies larger than this many bytes are sent gzip-compressed; {@code Integer.MAX_VALUE} never. */
        public Builder gzipAbove(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("gzipAbove must not be negative, was " + bytes);
            }
            this.gzipAbove = bytes;
            return this;
        }

        /** How long a partial batch waits for more events before it leaves. */
        public Builder linger(Duration linger) {
            if (linger.isNegative()) {
                throw new IllegalArgumentException("linger must not be negative, was " + linger);
            }
            this.linger = linger;
            return this;
        }

        /** Batches on the way at once; also the number of lanes sessions are spread over. */
        public Builder maxInFlight(int maxInFlight) {
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be positive, was " + maxInFlight);
            }
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** Retries of a batch after a retryable status or a connection error before its events fail. */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /** First backoff and its cap; each retry doubles the bound of the random delay. */
        public Builder backoff(Duration initial, Duration max) {
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException(
                        "backoff needs 0 < initial <= max, was initial " + initial + " and max " + max);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** Connect timeout of the HTTP client the builder creates (not of one given to {@link #httpClient}). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /** Longest wait for one answer; a request past it counts as a connection error and is retried. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("requestTimeout", timeout);
            return this;
        }

        /**
         * Longest time a batch may take from the moment it is ready to leave (waiting behind others
         * included) before its events fail without another retry; unset, only {@link #maxRetries}
         * bounds the retries. Bounds how long a caller waits when the server is down.
         */
        public Builder giveUpAfter(Duration giveUpAfter) {
            this.giveUpAfter = positive("giveUpAfter", giveUpAfter);
            return this;
        }

        /**
         * Bounds of the events accepted and not yet settled (buffered, on the way or retrying): at
         * most {@code events} events and {@code bytes} bytes of their JSON. Default 10,000 and 16 MiB.
         */
        public Builder maxBuffered(int events, long bytes) {
            if (events < 1 || bytes < 1) {
                throw new IllegalArgumentException(
                        "maxBuffered needs positive bounds, was " + events + " events and " + bytes + " bytes");
            }
            this.maxBufferedEvents = events;
            this.maxBufferedBytes = bytes;
            return this;
        }

        /**
         * What {@code send} does when the buffer is full: {@link Overflow#DROP} at once (default), or
         * {@link Overflow#BLOCK} for at most {@code timeout}, then drop.
         */
        public Builder whenFull(Overflow overflow, Duration timeout) {
            this.overflow = Objects.requireNonNull(overflow, "overflow");
            if (timeout.isNegative() || (overflow == Overflow.BLOCK && timeout.isZero())) {
                throw new IllegalArgumentException("whenFull(BLOCK, timeout) needs a positive timeout, was " + timeout);
            }
            this.blockTimeout = timeout;
            return this;
        }

        /** The {@code User-Agent} of every request; default {@code switchboard-eye-client/VERSION}. */
        public Builder userAgent(String userAgent) {
            if (userAgent == null || userAgent.isBlank()) {
                throw new IllegalArgumentException("userAgent must not be blank");
            }
            this.userAgent = userAgent;
            return this;
        }

        /** Clock that an HTTP-date {@code Retry-After} is measured against. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Hears every outcome; runs on {@link #executor}. */
        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Where the events' futures complete and the listener runs; default: the thread that settled
         * the batch (an HTTP client thread). Give one when callbacks may block.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * The HTTP client to send with (proxy, TLS, HTTP/2, its own executor...). The caller keeps
         * ownership: {@link EyeClient#close} does not close it.
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * Runs linger and retry timers and builds request bodies; default: one daemon thread owned
         * by the client. A given scheduler is not shut down by {@link EyeClient#close}.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        public EyeClient build() {
            return new EyeClient(this);
        }

        private static Duration positive(String setting, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(setting + " must be positive, was " + value);
            }
            return value;
        }

        private static String version() {
            String version = EyeClient.class.getPackage().getImplementationVersion();
            return version == null ? "dev" : version;
        }
    }
}
