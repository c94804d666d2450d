package io.switchboard.relay.internal;

import io.netty.util.AsciiString;
import io.switchboard.platform.observability.RequestIds;
import io.switchboard.platform.observability.Tracing;
import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import io.switchboard.relay.RelayConfig;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's request handler: the whole pipeline of one relayed request.
 *
 * <p>Flow: {@link RelayTarget#parse} (400 for targets that could leave the backend) → for GET and
 * HEAD with a cache: look the target up in the {@link CacheStore} → fresh and matching its {@code
 * Vary}: answer {@code HIT}; stale but within {@code stale-while-revalidate}: answer {@code STALE}
 * and refresh in the background; otherwise fetch, collapsed with any fetch of the same key already
 * in flight → the backend's answer is stored when RFC 9111 allows it and answered {@code MISS}, a
 * 304 to our conditional request refreshes the stored response ({@code REVALIDATED}), and a backend
 * failure, 429 or 5xx answers a stored response within its stale-if-error bound ({@code STALE}).
 * Other methods, and responses that may not be stored or are too large, are streamed both ways
 * without buffering. Relay-made failures become 502/503/504 problems in {@link #fail} only.
 *
 * <p>Threads: everything runs on the event loop of the client's connection; the map of fetches in
 * flight and the backend's counters are shared by all loops and are concurrent.
 */
public final class RealRelay implements Handler<RoutingContext> {

    private static final Logger log = LoggerFactory.getLogger(RealRelay.class);

    /** Request validators the cache answers itself; it sends its own stored ones instead. */
    private static final Set<String> CLIENT_VALIDATORS = Set.of("if-none-match", "if-modified-since", "host");

    /** Response fields a 304 from the cache repeats (RFC 9110 §15.4.5). */
    private static final List<String> NOT_MODIFIED_FIELDS =
            List.of("cache-control", "content-location", "date", "etag", "expires", "vary", "last-modified");

    /** Names of the fields the relay sets on every cacheable answer, encoded once. */
    private static final AsciiString AGE = AsciiString.cached("Age");

    private static final AsciiString X_CACHE = AsciiString.cached("X-Cache");

    /** Response fields the relay sets itself and never copies from the backend (lower-case). */
    private static final Set<String> OWN_RESPONSE_HEADERS = Set.of("x-request-id", "x-cache");

    /**
     * Streamed answers whose Content-Length is at most this are read whole and written with their
     * head in one write: one system call instead of head, body and end separately, at the cost of
     * holding this much per request in flight.
     */
    private static final long SINGLE_WRITE_MAX_BYTES = 64 * 1024;

    /** Methods that never invalidate stored responses. */
    private static final Set<HttpMethod> SAFE_METHODS =
            Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

    /** At most one warning about a failing cache store per this interval; the others are counted. */
    private static final java.time.Duration STORE_WARNING_INTERVAL = java.time.Duration.ofSeconds(30);

    /** Backend statuses after which a stored response may be served stale instead (RFC 5861). */
    private static final Set<Integer> ERROR_STATUSES = Set.of(429, 500, 502, 503, 504);

    /**
     * Per-request facts every step needs, captured once so background refreshes outlive the request.
     *
     * @param target the relayed path and query
     * @param requestHeaders the client's request headers (read only; a request's headers stay
     *     readable after it ended, so a background refresh may still use them)
     * @param self this server's address as the client reached it, for a backend configured with port 0
     * @param remoteHost the client's address, for X-Forwarded-For
     * @param scheme the scheme the client used, for X-Forwarded-Proto
     * @param host the Host the client asked for, for X-Forwarded-Host
     * @param requestId this request's id, sent on to the backend so that logs correlate
     */
    record Lookup(
            RelayTarget target,
            MultiMap requestHeaders,
            SocketAddress self,
            String remoteHost,
            String scheme,
            String host,
            String requestId) {
        String key() {
            return target.pathAndQuery();
        }
    }

    /**
     * What a fetch produced: a buffered response (storable, shareable) or one to stream, leader
     * only. {@code streamedPrefix} is the part of a streamed body already read while trying to
     * buffer it (a chunked answer that turned out larger than an entry may be), or null.
     */
    record Outcome(CachedResponse buffered, Backend.Exchange streaming, String xCache, Buffer streamedPrefix) {

        Outcome(CachedResponse buffered, Backend.Exchange streaming, String xCache) {
            this(buffered, streaming, xCache, null);
        }
    }

    /** A body read up to a limit: all of it ({@code complete}), or the first chunks beyond the limit. */
    private record Partial(Buffer read, boolean complete) {}

    private final RelayConfig config;
    private final Backend backend;
    private final CacheStore store;
    private final CachePolicy policy;
    private final RelayMetrics metrics;
    private final Clock clock;
    private final Forwarding forwarding;
    private final RateLimitedWarning storeWarnings;
    private final Map<String, Future<Outcome>> inFlight = new ConcurrentHashMap<>();

    private final Tracing tracing;

    /**
     * {@code store} may be null: no cache, every request is streamed through. {@code pseudonym} names
     * this relay instance in {@code Via}, where it finds requests that came back round a loop.
     */
    public RealRelay(
            RelayConfig config,
            Backend backend,
            CacheStore store,
            RelayMetrics metrics,
            Clock clock,
            String pseudonym,
            Tracing tracing) {
        this.config = config;
        this.tracing = tracing;
        this.forwarding = new Forwarding(pseudonym, TrustedProxies.parse(config.trustedProxies()));
        this.storeWarnings = new RateLimitedWarning(log, clock, STORE_WARNING_INTERVAL);
        this.backend = backend;
        this.store = store;
        this.policy = new CachePolicy(config.defaultTtl(), config.maxStale());
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (forwarding.passedThrough(request.headers().getAll("via"))) {
            // The backend led back here: relaying again would go round until a timeout.
            throw new ProblemException(Problem.of(
                    508,
                    "relay-loop-detected",
                    "Relay loop detected",
                    "The request already passed through this relay (Via: " + forwarding.via()
                            + "): its backend leads back to this server"));
        }
        if (hasBody(request)) {
            // Hold the body until the backend request can take it: connecting is asynchronous, and
            // a body read meanwhile would be lost ("Request has already been read").
            request.pause();
        }
        RelayTarget target = RelayTarget.parse(request.uri());
        Lookup lookup = new Lookup(
                target,
                request.headers(),
                request.localAddress(),
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                request.scheme() == null ? "http" : request.scheme(),
                request.getHeader("host"),
                RequestIds.of(ctx));
        boolean readOnly =
                request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
        if (store != null && readOnly && !hasBody(request)) {
            store.get(lookup.key())
                    .recover(this::missOnStoreFailure)
                    .onSuccess(entry -> answerFromCache(ctx, lookup, entry));
        } else {
            passThrough(ctx, lookup);
        }
    }

    // ---- the uncached path: stream both ways ----

    private void passThrough(RoutingContext ctx, Lookup lookup) {
        HttpServerRequest request = ctx.request();
        backend.send(
                        request.method(),
                        lookup.target(),
                        forwardHeaders(lookup, Set.of("host")),
                        hasBody(request) ? request : null,
                        lookup.self())
                .onSuccess(exchange -> invalidateAfterUnsafe(request.method(), lookup, exchange))
                .onSuccess(exchange -> stream(ctx, exchange, null, null))
                .onFailure(failure -> fail(ctx, failure));
    }

    /**
     * RFC 9111 §4.4: a successful unsafe request (POST, PUT, DELETE, ...) makes what is stored for
     * its target, and for its Location and Content-Location on the same backend, out of date.
     */
    private void invalidateAfterUnsafe(HttpMethod method, Lookup lookup, Backend.Exchange exchange) {
        int status = exchange.response().statusCode();
        if (store == null || SAFE_METHODS.contains(method) || status < 200 || status >= 400) {
            return;
        }
        store.remove(lookup.key());
        for (String field : List.of("location", "content-location")) {
            String key = sameBackendKey(exchange.response().getHeader(field));
            if (key != null) {
                store.remove(key);
            }
        }
    }

    /** The cache key of a Location-like URI reference on this backend, or null for elsewhere. */
    private String sameBackendKey(String reference) {
        if (reference == null) {
            return null;
        }
        URI uri;
        try {
            uri = config.backend().resolve(reference);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String base = config.basePath();
        if (uri.getRawPath() == null
                || !java.util.Objects.equals(uri.getHost(), config.backend().getHost())
                || !uri.getRawPath().startsWith(base + "/")) {
            return null;
        }
        String key = uri.getRawPath().substring(base.length());
        return uri.getRawQuery() == null ? key : key + "?" + uri.getRawQuery();
    }

    // ---- the cached path ----

    private Future<CachedResponse> missOnStoreFailure(Throwable failure) {
        storeWarnings.warn("relay cache store failed; treating as a miss", failure);
        return Future.succeededFuture(null);
    }

    private void answerFromCache(RoutingContext ctx, Lookup lookup, CachedResponse stored) {
        CachedResponse entry = stored != null && stored.matches(lookup.requestHeaders()) ? stored : null;
        if (entry != null) {
            CachePolicy.Freshness freshness = policy.evaluate(entry, lookup.requestHeaders(), clock.millis());
            if (freshness.fresh()) {
                metrics.hit();
                writeStored(ctx, entry, "HIT");
                return;
            }
            if (freshness.whileRevalidate()) {
                metrics.stale();
                writeStored(ctx, entry, "STALE");
                fetchCollapsed(lookup, entry)
                        .onFailure(f -> log.atDebug().log("background revalidation failed: {}", f));
                return;
            }
        }
        if (ctx.request().method().equals(HttpMethod.HEAD)) {
            passThrough(ctx, lookup);
            return;
        }
        fetchCollapsed(lookup, entry)
                .onSuccess(outcome -> writeOutcome(ctx, outcome))
                .onFailure(failure -> fail(ctx, failure));
    }

    /**
     * Joins the fetch of the same key already in flight, or starts one. Followers get the leader's
     * buffered response when it fits their {@code Vary}; when the leader streams (not storable) they
     * fetch on their own. Requests with credentials never join another's fetch.
     */
    private Future<Outcome> fetchCollapsed(Lookup lookup, CachedResponse entry) {
        if (lookup.requestHeaders().contains("authorization")) {
            metrics.miss();
            return fetch(lookup, entry);
        }
        Promise<Outcome> promise = Promise.promise();
        Future<Outcome> existing = inFlight.putIfAbsent(lookup.key(), promise.future());
        if (existing != null) {
            metrics.coalesced();
            return existing.transform(result -> follow(lookup, entry, result));
        }
        metrics.miss();
        fetch(lookup, entry).onComplete(result -> {
            inFlight.remove(lookup.key(), promise.future());
            promise.handle(result);
        });
        return promise.future();
    }

    private Future<Outcome> follow(Lookup lookup, CachedResponse entry, AsyncResult<Outcome> leader) {
        if (leader.failed()) {
            return Future.failedFuture(leader.cause());
        }
        Outcome outcome = leader.result();
        if (outcome.buffered() != null && outcome.buffered().matches(lookup.requestHeaders())) {
            return Future.succeededFuture(outcome);
        }
        return fetch(lookup, entry);
    }

    /** One backend call for a cacheable GET: conditional when a stored response has validators. */
    private Future<Outcome> fetch(Lookup lookup, CachedResponse entry) {
        return backend.send(HttpMethod.GET, lookup.target(), conditionalHeaders(lookup, entry), null, lookup.self())
                .compose(exchange -> interpret(lookup, entry, exchange))
                .recover(failure -> staleOnFailure(entry, lookup, failure));
    }

    private Future<Outcome> interpret(Lookup lookup, CachedResponse entry, Backend.Exchange exchange) {
        HttpClientResponse response = exchange.response();
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
            return readUpTo(response, config.maxEntryBytes())
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
    private static Future<Partial> readUpTo(HttpClientResponse response, long limit) {
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
        HttpClientResponse response = exchange.response();
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
        return store.put(lookup.key(), response, policy.keepFor(response)).recover(failure -> {
            storeWarnings.warn("relay cache store failed to store", failure);
            return Future.succeededFuture();
        });
    }

    private Future<Outcome> staleOnFailure(CachedResponse entry, Lookup lookup, Throwable failure) {
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

    private boolean storable(Lookup lookup, HttpClientResponse response) {
        if (!policy.mayStore(lookup.requestHeaders(), response.statusCode(), response.headers())) {
            return false;
        }
        String length = response.getHeader("content-length");
        if (length == null) {
            // Chunked: read up to the entry limit, stored if it ended by then, else streamed (readUpTo).
            return true;
        }
        try {
            return Long.parseLong(length.trim()) <= config.maxEntryBytes();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    // ---- writing answers ----

    private void writeOutcome(RoutingContext ctx, Outcome outcome) {
        if (outcome.buffered() != null) {
            writeStored(ctx, outcome.buffered(), outcome.xCache());
        } else {
            stream(ctx, outcome.streaming(), outcome.xCache(), outcome.streamedPrefix());
        }
    }

    private void writeStored(RoutingContext ctx, CachedResponse entry, String xCache) {
        HttpServerResponse response = ctx.response();
        long age = policy.currentAgeSeconds(entry, clock.millis());
        OptionalLong receivedAge = entry.parsed().age();
        if ("MISS".equals(xCache) && receivedAge.isPresent()) {
            // A response just received goes on with the Age it came with.
            age = receivedAge.getAsLong();
        }
        if (entry.status() == 200 && clientValidatorMatches(ctx.request().headers(), entry)) {
            response.setStatusCode(304);
            for (String name : NOT_MODIFIED_FIELDS) {
                entry.headerValues(name).forEach(v -> response.headers().add(name, v));
            }
        } else {
            response.setStatusCode(entry.status());
            MultiMap headers = response.headers();
            for (Map.Entry<AsciiString, AsciiString> header : entry.parsed().answerHeaders()) {
                headers.add(header.getKey(), header.getValue());
            }
        }
        response.putHeader(AGE, Long.toString(age));
        response.putHeader(X_CACHE, xCache);
        forwarding.appendVia(response.headers());
        if (response.getStatusCode() == 304 || response.getStatusCode() == 204) {
            response.end();
        } else if (ctx.request().method().equals(HttpMethod.HEAD)) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(entry.body().length));
            response.end();
        } else {
            Optional<ByteRange> range = servedRange(ctx.request(), entry, xCache);
            if (range.isPresent()) {
                writeRange(response, entry.body(), range.get());
            } else {
                response.end(entry.parsed().bodyBuffer());
            }
        }
    }

    /**
     * The range a GET asks for when it can be served from the stored complete 200 (RFC 9111 §3.4):
     * only for an answer from the cache (a fresh miss was fetched without the range being honoured
     * by anyone), and only when an {@code If-Range} is absent or names the stored strong validator.
     */
    private static Optional<ByteRange> servedRange(HttpServerRequest request, CachedResponse entry, String xCache) {
        String range = request.getHeader("range");
        if (range == null
                || entry.status() != 200
                || !request.method().equals(HttpMethod.GET)
                || "MISS".equals(xCache)) {
            return Optional.empty();
        }
        String ifRange = request.getHeader("if-range");
        if (ifRange != null && (ifRange.startsWith("W/") || !ifRange.equals(entry.header("etag")))) {
            return Optional.empty();
        }
        return ByteRange.parse(range, entry.body().length);
    }

    private static void writeRange(HttpServerResponse response, byte[] body, ByteRange range) {
        response.setStatusCode(206);
        response.putHeader("Content-Range", range.contentRange(body.length));
        response.putHeader("Content-Length", Long.toString(range.size()));
        response.end(Buffer.buffer(body).getBuffer((int) range.first(), (int) range.last() + 1));
    }

    /** Streams the backend's answer; {@code prefix}, when not null, is the body's start already read. */
    private void stream(RoutingContext ctx, Backend.Exchange exchange, String xCache, Buffer prefix) {
        HttpClientResponse upstream = exchange.response();
        HttpServerResponse response = ctx.response();
        response.setStatusCode(upstream.statusCode());
        if (upstream.statusMessage() != null) {
            response.setStatusMessage(upstream.statusMessage());
        }
        HopByHop.copyEndToEnd(upstream.headers(), response.headers(), OWN_RESPONSE_HEADERS);
        forwarding.appendVia(response.headers());
        if (xCache != null) {
            response.putHeader(X_CACHE, xCache);
        }
        int status = upstream.statusCode();
        boolean bodyless =
                ctx.request().method().equals(HttpMethod.HEAD) || status == 204 || status == 304 || status < 200;
        if (bodyless) {
            upstream.body().onComplete(ignored -> response.end());
            return;
        }
        String length = response.headers().get(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            response.setChunked(true);
        } else if (prefix == null && isSmall(length)) {
            upstream.body().onSuccess(response::end).onFailure(failure -> response.reset());
            return;
        }
        if (prefix != null) {
            response.write(prefix);
        }
        upstream.pipeTo(response).onFailure(failure -> {
            if (!response.ended()) {
                response.reset();
            }
        });
    }

    private static boolean isSmall(String contentLength) {
        int digits = contentLength.length();
        if (digits == 0 || digits > 6) {
            return false;
        }
        for (int i = 0; i < digits; i++) {
            if (!Character.isDigit(contentLength.charAt(i))) {
                return false;
            }
        }
        return Integer.parseInt(contentLength) <= SINGLE_WRITE_MAX_BYTES;
    }

    // ---- headers ----

    private MultiMap forwardHeaders(Lookup lookup, Set<String> except) {
        MultiMap headers = HopByHop.endToEnd(lookup.requestHeaders(), except);
        forwarding.appendVia(headers);
        forwarding.addForwardedFor(headers, lookup.remoteHost(), lookup.scheme(), lookup.host());
        headers.set(RequestIds.HEADER, lookup.requestId());
        // Copied from the client; with tracing on, the HTTP client adds its own client span's instead.
        tracing.prepareOutgoing(headers);
        return headers;
    }

    private MultiMap conditionalHeaders(Lookup lookup, CachedResponse entry) {
        MultiMap headers = forwardHeaders(lookup, CLIENT_VALIDATORS);
        if (entry != null) {
            String etag = entry.header("etag");
            String lastModified = entry.header("last-modified");
            if (etag != null) {
                headers.set("If-None-Match", etag);
            }
            if (lastModified != null) {
                headers.set("If-Modified-Since", lastModified);
            }
        }
        return headers;
    }

    /** Whether the client's own If-None-Match / If-Modified-Since lets the cache answer 304. */
    private static boolean clientValidatorMatches(MultiMap request, CachedResponse entry) {
        String ifNoneMatch = request.get("if-none-match");
        String etag = entry.header("etag");
        if (ifNoneMatch != null) {
            if (etag == null) {
                return false;
            }
            String opaque = weakless(etag);
            for (String candidate : ifNoneMatch.split(",")) {
                String c = candidate.trim();
                if (c.equals("*") || weakless(c).equals(opaque)) {
                    return true;
                }
            }
            return false;
        }
        String ifModifiedSince = request.get("if-modified-since");
        if (ifModifiedSince == null) {
            return false;
        }
        Long since = CachePolicy.httpDate(ifModifiedSince);
        Long lastModified = CachePolicy.httpDate(entry.header("last-modified"));
        return since != null && lastModified != null && lastModified <= since;
    }

    private static String weakless(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader("content-length");
        return request.headers().contains("transfer-encoding")
                || (length != null && !length.trim().equals("0"));
    }

    // ---- failures: mapped once ----

    private void fail(RoutingContext ctx, Throwable failure) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        if (failure instanceof BackendFailure backendFailure) {
            String slug = "relay-backend-"
                    + backendFailure.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
            String title = switch (backendFailure.kind()) {
                case UNAVAILABLE -> "Relay backend unavailable";
                case TIMEOUT -> "Relay backend timed out";
                case BUSY -> "Relay backend concurrency limit reached";
                case RATE_LIMITED -> "Relay backend rate-limited";
            };
            ctx.fail(new ProblemException(
                    Problem.of(backendFailure.kind().status(), slug, title, backendFailure.getMessage()),
                    backendFailure.retryAfter()));
            return;
        }
        if (failure instanceof ProblemException) {
            ctx.fail(failure);
            return;
        }
        log.atWarn().setCause(failure).log("relay failed");
        ctx.fail(new ProblemException(
                Problem.of(502, "relay-failed", "Relay failed", "The relay could not complete the request")));
    }
}
