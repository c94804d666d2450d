package io.switchboard.relay.internal;

import io.switchboard.platform.upstream.ThisServer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The relay's one backend: a pooled keep-alive client pinned to the configured scheme, host and
 * port, a limit on requests in flight, and the memory of a {@code Retry-After} the backend asked
 * for.
 *
 * <p>Every request goes to the configured host with the configured base path prepended; nothing
 * from the client's request (Host, absolute-form target) can change where it goes. A permit is
 * taken per request and returned when the response has been read to its end or failed.
 *
 * <p>Threads: called on event loops; the counters are atomics shared by all loops.
 */
public final class Backend {

    /** Methods a relay may send twice without changing their meaning (RFC 9110 §9.2.2). */
    private static final Set<HttpMethod> IDEMPOTENT =
            Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE);

    /** Retry-After values beyond this are capped, so that a bad header cannot silence the backend for days. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

    /**
     * One backend answer.
     *
     * @param response the response, headers read, body not yet
     * @param requestTime epoch ms when the request was sent
     * @param responseTime epoch ms when the headers arrived
     */
    public record Exchange(HttpClientResponse response, long requestTime, long responseTime) {}

    private final HttpClient client;
    private final RelaySettings config;
    private final String basePath;
    private final Clock clock;
    private final RelayMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong blockedUntil = new AtomicLong();

    public Backend(HttpClient client, RelaySettings config, Clock clock, RelayMetrics metrics) {
        this.client = client;
        this.config = config;
        this.basePath = config.basePath();
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Sends {@code method target} with {@code headers} (already end-to-end only) and {@code body}
     * (null for none). A configured port 0 means {@code self}: this server, as the client reached it.
     */
    public Future<Exchange> send(
            HttpMethod method,
            RelayTarget target,
            MultiMap headers,
            @Nullable ReadStream<Buffer> body,
            SocketAddress self) {
        Duration wait = retryAfterRemaining();
        if (!wait.isZero()) {
            metrics.backendError("rate_limited");
            return Future.failedFuture(new BackendFailure(
                    BackendFailure.Kind.RATE_LIMITED,
                    "The backend asked not to be called for another " + wait.toSeconds() + "s (Retry-After)",
                    wait,
                    null));
        }
        if (!tryAcquire()) {
            metrics.backendError("busy");
            return Future.failedFuture(new BackendFailure(
                    BackendFailure.Kind.BUSY,
                    "More than " + config.maxBackendRequests() + " requests to the backend are in flight",
                    Duration.ofSeconds(1),
                    null));
        }
        long requestTime = clock.millis();
        long started = System.nanoTime();
        RequestOptions options = options(method, target, headers, self);
        boolean retryable = body == null && IDEMPOTENT.contains(method);
        return attempt(options, body)
                .recover(failure ->
                        retryable && !isTimeout(failure) ? attempt(options, null) : Future.failedFuture(failure))
                .map(response -> exchange(response, requestTime, started))
                .recover(this::classify)
                .onFailure(failure -> release());
    }

    /**
     * One try. A pooled connection the backend closed just as it was reused fails before any
     * answer; bodiless idempotent requests are then tried once more, on a new connection.
     */
    private Future<HttpClientResponse> attempt(RequestOptions options, @Nullable ReadStream<Buffer> body) {
        return client.request(options).compose(request -> body == null ? request.send() : request.send(body));
    }

    /**
     * Whether {@code host} names this machine without a lookup: loopback, the any-address or
     * {@code localhost}. Used to refuse a backend that is this very server.
     */
    public static boolean isLocalHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        byte[] address = TrustedProxies.literal(h);
        if (address == null) {
            return false;
        }
        try {
            java.net.InetAddress inet = java.net.InetAddress.getByAddress(address);
            return inet.isLoopbackAddress() || inet.isAnyLocalAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private RequestOptions options(HttpMethod method, RelayTarget target, MultiMap headers, SocketAddress self) {
        int port = config.backend().getPort();
        String host = config.backend().getHost();
        boolean ssl = "https".equals(config.backend().getScheme());
        if (ThisServer.isNamedBy(config.backend())) {
            port = self.port();
            host = self.hostAddress();
        } else if (port < 0) {
            port = ssl ? 443 : 80;
        }
        return new RequestOptions()
                .setMethod(method)
                .setHost(host)
                .setPort(port)
                .setSsl(ssl)
                .setURI(basePath + target.pathAndQuery())
                .setHeaders(headers)
                .setConnectTimeout(config.connectTimeout().toMillis())
                .setIdleTimeout(config.responseTimeout().toMillis());
    }

    private Exchange exchange(HttpClientResponse response, long requestTime, long started) {
        metrics.backendLatency(Duration.ofNanos(System.nanoTime() - started));
        response.end().onComplete(done -> release());
        if (response.statusCode() == 429 || response.statusCode() == 503) {
            rememberRetryAfter(response.getHeader("retry-after"));
        }
        if (response.statusCode() >= 500 || response.statusCode() == 429) {
            metrics.backendError("status_" + response.statusCode());
        }
        return new Exchange(response, requestTime, clock.millis());
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().toLowerCase(Locale.ROOT).contains("timeout")) {
                return true;
            }
        }
        return false;
    }

    private Future<Exchange> classify(Throwable failure) {
        if (failure instanceof BackendFailure) {
            return Future.failedFuture(failure);
        }
        boolean timeout = isTimeout(failure);
        metrics.backendError(timeout ? "timeout" : "unavailable");
        BackendFailure.Kind kind = timeout ? BackendFailure.Kind.TIMEOUT : BackendFailure.Kind.UNAVAILABLE;
        String detail = timeout
                ? "The backend did not answer in time (connect "
                        + config.connectTimeout().toMillis() + "ms, response "
                        + config.responseTimeout().toMillis() + "ms)"
                : "The backend could not be reached: " + failure.getMessage();
        return Future.failedFuture(new BackendFailure(kind, detail, null, failure));
    }

    /** Records a 429/503's Retry-After (seconds or HTTP-date) so no request goes out before then. */
    private void rememberRetryAfter(String value) {
        if (value == null) {
            return;
        }
        long now = clock.millis();
        long until;
        try {
            until = now + Math.min(Long.parseLong(value.trim()) * 1000, MAX_RETRY_AFTER.toMillis());
        } catch (NumberFormatException e) {
            Long date = CachePolicy.httpDate(value);
            if (date == null) {
                return;
            }
            until = Math.min(date, now + MAX_RETRY_AFTER.toMillis());
        }
        blockedUntil.accumulateAndGet(until, Math::max);
    }

    /** How long the backend still asked not to be called; zero when it may be called. */
    public Duration retryAfterRemaining() {
        long remaining = blockedUntil.get() - clock.millis();
        return remaining <= 0
                ? Duration.ZERO
                : Duration.ofSeconds(
                        Duration.ofMillis(remaining).plusMillis(999).toSeconds());
    }

    private boolean tryAcquire() {
        while (true) {
            int current = inFlight.get();
            if (current >= config.maxBackendRequests()) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    private void release() {
        inFlight.decrementAndGet();
    }

    /** Backend requests in flight now. */
    public int inFlight() {
        return inFlight.get();
    }

    public Future<Void> close() {
        return client.close();
    }
}
