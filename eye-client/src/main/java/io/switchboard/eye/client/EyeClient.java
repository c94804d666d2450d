package io.switchboard.eye.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sends events to the eye in batches, asynchronously, retrying what may be retried.
 *
 * <p>{@link #send} buffers the event and returns a future of its acknowledgement. A batch leaves
 * when {@code batchSize} events are buffered or {@code linger} after the first one, at most {@code
 * maxInFlight} batches at a time. A batch answered 503 (the server's writer is behind) or lost to
 * a connection error is retried after an exponential backoff with full jitter, never sooner than
 * the server's {@code Retry-After}; since every event carries a client-generated id, a retry of a
 * batch the server had in fact stored is acknowledged without storing anything twice. Any other
 * error (400, 401, 413) fails the batch's futures at once with {@link EyeClientException}. With
 * {@link Builder#giveUpAfter}, no batch is retried (or, waiting behind others, sent) past that
 * long after it was ready, so a caller's wait is bounded when the server is down.
 *
 * <p>{@link #flush} waits until everything sent before it is acknowledged or failed; {@link
 * #close} flushes, then stops. Thread-safe; one scheduler thread and the JDK HttpClient's threads
 * do the work, so callers never block in {@link #send}.
 */
public final class EyeClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Pending(Event event, CompletableFuture<Ack> ack) {}

    /** Events sent in one request, and when they became ready to leave (the give-up clock starts there). */
    private record Batch(List<Pending> events, long readyNanos) {}

    private final URI endpoint;
    private final String apiKey;
    private final int batchSize;
    private final Duration linger;
    private final int maxInFlight;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration requestTimeout;
    private final Duration giveUpAfter;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final Set<CompletableFuture<Ack>> outstanding = ConcurrentHashMap.newKeySet();

    // Guarded by this.
    private List<Pending> buffer = new ArrayList<>();
    private final ArrayDeque<Batch> ready = new ArrayDeque<>();
    private int inFlight;
    private boolean lingerScheduled;
    private boolean closed;

    private EyeClient(Builder b) {
        this.endpoint = b.baseUri.resolve("/events");
        this.apiKey = b.apiKey;
        this.batchSize = b.batchSize;
        this.linger = b.linger;
        this.maxInFlight = b.maxInFlight;
        this.maxRetries = b.maxRetries;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.requestTimeout = b.requestTimeout;
        this.giveUpAfter = b.giveUpAfter;
        this.http = HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "eye-client");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A client of the eye at {@code baseUri} (e.g. {@code http://127.0.0.1:8080}) with an API key. */
    public static Builder builder(URI baseUri, String apiKey) {
        return new Builder(baseUri, apiKey);
    }

    /** Buffers {@code event}; the future completes once the server acknowledged it as durable. */
    public CompletableFuture<Ack> send(Event event) {
        Objects.requireNonNull(event, "event");
        Pending pending = new Pending(event, new CompletableFuture<>());
        outstanding.add(pending.ack());
        pending.ack().whenComplete((ack, failure) -> outstanding.remove(pending.ack()));
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the eye client is closed");
            }
            buffer.add(pending);
            if (buffer.size() >= batchSize) {
                seal();
            } else if (!lingerScheduled) {
                lingerScheduled = true;
                scheduler.schedule(this::sealOnLinger, linger.toNanos(), TimeUnit.NANOSECONDS);
            }
            pump();
        }
        return pending.ack();
    }

    /** Sends what is buffered and waits until every event sent so far is acknowledged or failed. */
    public void flush() {
        synchronized (this) {
            if (!buffer.isEmpty()) {
                seal();
                pump();
            }
        }
        CompletableFuture<?>[] waiting = outstanding.toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(waiting).handle((ok, failure) -> null).join();
    }

    /** Flushes, then releases the client's threads. */
    @Override
    public void close() {
        flush();
        synchronized (this) {
            closed = true;
        }
        scheduler.shutdown();
        http.close();
    }

    private synchronized void sealOnLinger() {
        lingerScheduled = false;
        if (!buffer.isEmpty()) {
            seal();
            pump();
        }
    }

    /** Moves the buffer to the ready queue as one batch. Caller holds the lock. */
    private void seal() {
        ready.add(new Batch(buffer, System.nanoTime()));
        buffer = new ArrayList<>();
    }

    /** Starts ready batches while fewer than {@code maxInFlight} are on the way. Caller holds the lock. */
    private void pump() {
        while (inFlight < maxInFlight && !ready.isEmpty()) {
            inFlight++;
            Batch batch = ready.poll();
            if (giveUpAfter != null && System.nanoTime() - batch.readyNanos() > giveUpAfter.toNanos()) {
                // Waited behind batches that were retrying for as long as it may take: not sent at all.
                fail(batch, new EyeClientException(0, "not sent: gave up after " + giveUpAfter, null));
                inFlight--;
                continue;
            }
            attempt(batch, 0);
        }
    }

    private void attempt(Batch batch, int retry) {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(batch.events())))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> handle(batch, retry, response, failure));
    }

    private void handle(Batch batch, int retry, HttpResponse<String> response, Throwable failure) {
        if (failure == null && response.statusCode() == 202) {
            acknowledge(batch.events(), response.body());
            done();
            return;
        }
        boolean retryable = failure != null || response.statusCode() == 503;
        int status = failure == null ? response.statusCode() : 0;
        if (!retryable || retry >= maxRetries) {
            String why = failure != null
                    ? "no answer after " + (retry + 1) + " attempts: " + failure
                    : "HTTP " + status + (retryable ? " after " + (retry + 1) + " attempts" : "") + ": "
                            + response.body();
            fail(batch, new EyeClientException(status, why, failure));
            done();
            return;
        }
        Duration delay = backoff(retry);
        if (response != null) {
            Duration retryAfter = retryAfter(response);
            if (retryAfter.compareTo(delay) > 0) {
                delay = retryAfter;
            }
        }
        if (giveUpAfter != null && System.nanoTime() + delay.toNanos() - batch.readyNanos() > giveUpAfter.toNanos()) {
            String last = failure != null ? failure.toString() : "HTTP " + status;
            fail(
                    batch,
                    new EyeClientException(
                            status,
                            "gave up after " + giveUpAfter + " and " + (retry + 1) + " attempts; last: " + last,
                            failure));
            done();
            return;
        }
        scheduler.schedule(() -> attempt(batch, retry + 1), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void fail(Batch batch, EyeClientException error) {
        batch.events().forEach(p -> p.ack().completeExceptionally(error));
    }

    private void done() {
        synchronized (this) {
            inFlight--;
            pump();
        }
    }

    private static void acknowledge(List<Pending> batch, String body) {
        Set<String> duplicates = new HashSet<>();
        try {
            JsonNode json = JSON.readTree(body);
            json.path("duplicate_ids").forEach(id -> duplicates.add(id.asText()));
        } catch (IOException e) {
            // The 202 is what matters; without a readable body nobody is marked a duplicate.
        }
        for (Pending p : batch) {
            p.ack()
                    .complete(new Ack(
                            p.event().id(), duplicates.contains(p.event().id())));
        }
    }

    /** Exponential backoff with full jitter: random in [0, min(max, initial * 2^retry)]. */
    private Duration backoff(int retry) {
        long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(retry, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
    }

    private static Duration retryAfter(HttpResponse<String> response) {
        return response.headers()
                .firstValue("Retry-After")
                .flatMap(value -> {
                    try {
                        return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
                    } catch (NumberFormatException e) {
                        return java.util.Optional.empty();
                    }
                })
                .orElse(Duration.ZERO);
    }

    private static byte[] body(List<Pending> batch) {
        List<Object> events = new ArrayList<>(batch.size());
        batch.forEach(p -> events.add(p.event().toJson()));
        try {
            return JSON.writeValueAsBytes(events);
        } catch (IOException e) {
            throw new UncheckedIOException("an event's data cannot be written as JSON", e);
        }
    }

    /** Settings of an {@link EyeClient}; each checked when set. */
    public static final class Builder {
        private final URI baseUri;
        private final String apiKey;
        private int batchSize = 100;
        private Duration linger = Duration.ofMillis(20);
        private int maxInFlight = 4;
        private int maxRetries = 8;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration giveUpAfter;

        private Builder(URI baseUri, String apiKey) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        }

        /** Events per request (the server accepts up to 1000 by default). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
            }
            this.batchSize = batchSize;
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

        /** Batches on the way at once. */
        public Builder maxInFlight(int maxInFlight) {
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be positive, was " + maxInFlight);
            }
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** Retries of a batch after a 503 or a connection error before its events fail. */
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

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Longest time a batch may take from the moment it is ready to leave (waiting behind others
         * included) before its events fail without another retry; unset, only {@link #maxRetries}
         * bounds the retries. Bounds how long a caller waits when the server is down.
         */
        public Builder giveUpAfter(Duration giveUpAfter) {
            if (giveUpAfter.isNegative() || giveUpAfter.isZero()) {
                throw new IllegalArgumentException("giveUpAfter must be positive, was " + giveUpAfter);
            }
            this.giveUpAfter = giveUpAfter;
            return this;
        }

        public EyeClient build() {
            return new EyeClient(this);
        }
    }
}
