package io.switchboard.relay.internal;

import io.switchboard.platform.observability.RequestIds;
import io.switchboard.platform.observability.Tracing;
import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
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
 * <p>This class decides the path (loop check, target, cache lookup, fresh or not, invalidation after
 * unsafe methods); the parts it hands work to are named for their jobs: {@link CollapsedFetches}
 * (one backend fetch per key in flight, and whether what comes back is stored),
 * {@link AnswerWriter} (stored answers, 304s, ranges, streaming) and {@link BackendRequestHeaders}
 * (what the backend is sent).
 *
 * <p>Threads: everything runs on the event loop of the client's connection; the map of fetches in
 * flight and the backend's counters are shared by all loops and are concurrent.
 */
public final class RealRelay implements Relay {

    private static final Logger log = LoggerFactory.getLogger(RealRelay.class);

    /** Methods that never invalidate stored responses. */
    private static final Set<HttpMethod> SAFE_METHODS =
            Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

    /** At most one warning about a failing cache store per this interval; the others are counted. */
    private static final java.time.Duration STORE_WARNING_INTERVAL = java.time.Duration.ofSeconds(30);

    private final RelaySettings config;
    private final Backend backend;
    /** Null when the relay caches nothing: every request then passes through. */
    private final @Nullable CacheStore store;

    private final CachePolicy policy;
    private final RelayMetrics metrics;
    private final Clock clock;
    private final Forwarding forwarding;
    private final RateLimitedWarning storeWarnings;
    private final BackendRequestHeaders headers;
    private final CollapsedFetches fetches;
    private final AnswerWriter answers;

    /**
     * {@code store} may be null: no cache, every request is streamed through. {@code pseudonym} names
     * this relay instance in {@code Via}, where it finds requests that came back round a loop.
     */
    public RealRelay(
            RelaySettings config,
            Backend backend,
            @Nullable CacheStore store,
            RelayMetrics metrics,
            Clock clock,
            String pseudonym,
            Tracing tracing) {
        this.config = config;
        this.forwarding = new Forwarding(pseudonym, TrustedProxies.parse(config.trustedProxies()));
        this.storeWarnings = new RateLimitedWarning(log, clock, STORE_WARNING_INTERVAL);
        this.backend = backend;
        this.store = store;
        this.policy = new CachePolicy(config.defaultTtl(), config.maxStale());
        this.metrics = metrics;
        this.clock = clock;
        this.headers = new BackendRequestHeaders(forwarding, tracing);
        this.fetches = new CollapsedFetches(
                backend, store, policy, metrics, clock, headers, storeWarnings, config.maxEntryBytes());
        this.answers = new AnswerWriter(policy, clock, forwarding);
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
                        headers.forwardHeaders(lookup, Set.of("host")),
                        hasBody(request) ? request : null,
                        lookup.self())
                .onSuccess(exchange -> invalidateAfterUnsafe(request.method(), lookup, exchange))
                .onSuccess(exchange -> answers.stream(ctx, exchange, null, null))
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
    private @Nullable String sameBackendKey(@Nullable String reference) {
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

    private void answerFromCache(RoutingContext ctx, Lookup lookup, @Nullable CachedResponse stored) {
        CachedResponse entry = stored != null && stored.matches(lookup.requestHeaders()) ? stored : null;
        if (entry != null) {
            CachePolicy.Freshness freshness = policy.evaluate(entry, lookup.requestHeaders(), clock.millis());
            if (freshness.fresh()) {
                metrics.hit();
                answers.writeStored(ctx, entry, "HIT");
                return;
            }
            if (freshness.whileRevalidate()) {
                metrics.stale();
                answers.writeStored(ctx, entry, "STALE");
                fetches.fetch(lookup, entry).onFailure(f -> log.atDebug().log("background revalidation failed: {}", f));
                return;
            }
        }
        if (ctx.request().method().equals(HttpMethod.HEAD)) {
            passThrough(ctx, lookup);
            return;
        }
        fetches.fetch(lookup, entry)
                .onSuccess(outcome -> answers.writeOutcome(ctx, outcome))
                .onFailure(failure -> fail(ctx, failure));
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
