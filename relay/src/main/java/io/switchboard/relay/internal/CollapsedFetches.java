package io.switchboard.relay.internal;

import io.switchboard.relay.internal.client.BackendResponse;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The cached path's trips to the backend: concurrent fetches of one key collapse into one, and
 * what comes back is judged by RFC 9111 — stored and answered {@code MISS}, a 304 to the
 * conditional request refreshing the stored response ({@code REVALIDATED}), a failure, 429 or 5xx
 * answered by the stored response within its stale-if-error bound ({@code STALE}), or, when it may
 * not be stored or is too large, handed on to be streamed.
 *
 * <p>Threads: runs on the event loop of the request that started the fetch; the map of fetches in
 * flight is shared by all loops and is concurrent.
 */
final class CollapsedFetches {

    /** Backend statuses after which a stored response may be served stale instead (RFC 5861). */
    private static final Set<Integer> ERROR_STATUSES = Set.of(429, 500, 502, 503, 504);

    /** A body read up to a limit: all of it ({@code complete}), or the first chunks beyond the limit. */
    private record Partial(Buffer read, boolean complete) {}

    private final Backend backend;
    /** Null when the relay caches nothing; then {@link RealRelay} never fetches through here. */
    private final @Nullable CacheStore store;

    private final CachePolicy policy;
    private final RelayMetrics metrics;
    private final Clock clock;
    private final BackendRequestHeaders headers;
    private final RateLimitedWarning storeWarnings;
    private final long maxEntryBytes;
    private final Map<String, Future<Outcome>> inFlight = new ConcurrentHashMap<>();

    /** {@code storeWarnings} is the relay's, so that one rate limit covers every store failure. */
    CollapsedFetches(
            Backend backend,
            @Nullable CacheStore store,
            CachePolicy policy,
            RelayMetrics metrics,
            Clock clock,
            BackendRequestHeaders headers,
            RateLimitedWarning storeWarnings,
            long maxEntryBytes) {
        this.backend = backend;
        this.store = store;
        this.policy = policy;
        this.metrics = metrics;
        this.clock = clock;
        this.headers = headers;
        this.storeWarnings = storeWarnings;
        this.maxEntryBytes = maxEntryBytes;
    }

    /**
     * Joins the fetch of the same key already in flight, or starts one. Followers get the leader's
     * buffered response when it fits their {@code Vary}; when the leader streams (not storable) they
     * fetch on their own. Requests with credentials never join another's fetch.
     */
    Future<Outcome> fetch(Lookup lookup, @Nullable CachedResponse entry) {
        if (lookup.requestHeaders().contains("authorization")) {
            metrics.miss();
            return fetchOnce(lookup, entry);
        }
        Promise<Outcome> promise = Promise.promise();
        Future<Outcome> existing = inFlight.putIfAbsent(lookup.key(), promise.future());
        if (existing != null) {
            metrics.coalesced();
            return existing.transform(result -> follow(lookup, entry, result));
        }
        metrics.miss();
        fetchOnce(lookup, entry).onComplete(result -> {
            inFlight.remove(lookup.key(), promise.future());
            promise.handle(result);
        });
        return promise.future();
    }

    private Future<Outcome> follow(Lookup lookup, @Nullable CachedResponse entry, AsyncResult<Outcome> leader) {
        if (leader.failed()) {
            return Future.failedFuture(leader.cause());
        }
        Outcome outcome = leader.result();
        if (outcome.buffered() != null && outcome.buffered().matches(lookup.requestHeaders())) {
            return Future.succeededFuture(outcome);
        }
        return fetchOnce(lookup, entry);
    }

    /** One backend call for a cacheable GET: conditional when a stored response has validators. */
    private Future<Outcome> fetchOnce(Lookup lookup, @Nullable CachedResponse entry) {
        return backend.send(
                        HttpMethod.GET, lookup.target(), headers.conditionalHeaders(lookup, entry), null, lookup.self())
                .compose(exchange -> interpret(lookup, entry, exchange))
                .recover(failure -> staleOnFailure(entry, lookup, failure));
    }

    private Future<Outcome> interpret(Lookup lookup, @Nullable CachedResponse entry, Backend.Exchange exchange) {
        BackendResponse response = exchange.response();
        int status = response.statusCode();
        if (status == 304 && entry != null) {
            return refresh(lookup, entry, exchange);
        }
        if (ERROR_STATUSES.contains(status) && entry != null && staleAllowed(entry, lookup)) {
            return response.body().map(ignored -> staleOutcome(entry));
        }
        if (storable(lookup, response)) {
            if (response.getHeader("content-length") != null) {
                return response.body().compose(body -> store(lookup, exchange, body));
            }
            return readUpTo(response, maxEntryBytes)
                    .compose(partial -> partial.complete()
                            ? store(lookup, exchange, partial.read())
                            : Future.succeededFuture(new Outcome(null, exchange, "MISS", partial.read())));
        }
        return Future.succeededFuture(new Outcome(null, exchange, "MISS"));
    }

    /**
     * Reads a body without a Content-Length until its end or until more than {@code limit} bytes
     * came, whichever is first; then the response is paused and the rest is left to stream, so a
     * chunked answer never holds more than about one entry in memory.
     */
    private static Future<Partial> readUpTo(BackendResponse response, long limit) {
        Promise<Partial> promise = Promise.promise();
        Buffer read = Buffer.buffer();
        response.exceptionHandler(promise::tryFail);
        response.endHandler(ended -> promise.tryComplete(new Partial(read, true)));
        response.handler(chunk -> {
            read.appendBuffer(chunk);
            if (read.length() > limit) {
                response.pause();
                response.handler(null);
                response.endHandler(null);
                response.exceptionHandler(null);
                promise.tryComplete(new Partial(read, false));
            }
        });
        return promise.future();
    }

    private Future<Outcome> refresh(Lookup lookup, CachedResponse entry, Backend.Exchange exchange) {
        CachedResponse refreshed = entry.refreshedBy(
                HopByHop.endToEnd(exchange.response().headers(), Set.of()),
                exchange.requestTime(),
                exchange.responseTime());
        return exchange.response()
                .body()
                .compose(ignored -> put(lookup, refreshed))
                .map(new Outcome(refreshed, null, "REVALIDATED"));
    }

    private Future<Outcome> store(Lookup lookup, Backend.Exchange exchange, Buffer body) {
        BackendResponse response = exchange.response();
        CachedResponse fetched = CachedResponse.of(
                response.statusCode(),
                HopByHop.endToEnd(response.headers(), Set.of()),
                body.getBytes(),
                exchange.requestTime(),
                exchange.responseTime(),
                lookup.requestHeaders());
        return put(lookup, fetched).map(new Outcome(fetched, null, "MISS"));
    }

    private Future<Void> put(Lookup lookup, CachedResponse response) {
        CacheStore present = Objects.requireNonNull(store, "only the cached path, which has a store, fetches here");
        return present.put(lookup.key(), response, policy.keepFor(response)).recover(failure -> {
            storeWarnings.warn("relay cache store failed to store", failure);
            return Future.succeededFuture();
        });
    }

    private Future<Outcome> staleOnFailure(@Nullable CachedResponse entry, Lookup lookup, Throwable failure) {
        if (failure instanceof BackendFailure && entry != null && staleAllowed(entry, lookup)) {
            return Future.succeededFuture(staleOutcome(entry));
        }
        return Future.failedFuture(failure);
    }

    private Outcome staleOutcome(CachedResponse entry) {
        metrics.stale();
        return new Outcome(entry, null, "STALE");
    }

    private boolean staleAllowed(CachedResponse entry, Lookup lookup) {
        return policy.evaluate(entry, lookup.requestHeaders(), clock.millis()).ifError();
    }

    private boolean storable(Lookup lookup, BackendResponse response) {
        if (!policy.mayStore(lookup.requestHeaders(), response.statusCode(), response.headers())) {
            return false;
        }
        String length = response.getHeader("content-length");
        if (length == null) {
            // Chunked: read up to the entry limit, stored if it ended by then, else streamed (readUpTo).
            return true;
        }
        try {
            return Long.parseLong(length.trim()) <= maxEntryBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
