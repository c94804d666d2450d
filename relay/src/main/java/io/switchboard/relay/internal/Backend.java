package io.switchboard.relay.internal;

import io.switchboard.platform.observability.Tracing;
import io.switchboard.platform.upstream.ThisServer;
import io.switchboard.relay.internal.client.Address;
import io.switchboard.relay.internal.client.BackendCall;
import io.switchboard.relay.internal.client.BackendClient;
import io.switchboard.relay.internal.client.BackendIoException;
import io.switchboard.relay.internal.client.BackendResponse;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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
 * The relay's one backend: a pooled keep-alive client ({@link BackendClient}) pinned to the
 * configured scheme, host and port, a limit on requests in flight, and the memory of a {@code
 * Retry-After} the backend asked for.
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
    public record Exchange(BackendResponse response, long requestTime, long responseTime) {}

    private final BackendClient client;
    private final RelaySettings config;
    private final String basePath;
    private final BackendSpans spans;
    /** Where requests go, worked out once; null when the backend is this server (port 0), known per request. */
    private final @Nullable Address fixedAddress;

    private final Clock clock;
    private final RelayMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong blockedUntil = new AtomicLong();

    public Backend(BackendClient client, RelaySettings config, Clock clock, RelayMetrics metrics, Tracing tracing) {
        this.client = client;
        this.config = config;
        this.basePath = config.basePath();
        this.spans = new BackendSpans(tracing);
        this.fixedAddress = ThisServer.isNamedBy(config.backend()) ? null : configuredAddress(config.backend());
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
        Address address = fixedAddress != null ? fixedAddress : selfAddress(self);
        BackendCall call = new BackendCall(method, address, basePath + target.pathAndQuery(), headers, body);
        BackendSpans.Span span = spans.start(call);
        Promise<Exchange> answer = Promise.promise();
        // Plain callbacks rather than a chain of futures: this runs for every relayed request.
        client.send(call).onComplete(first -> {
            if (first.failed() && mayRetry(call, first.cause())) {
                client.send(call).onComplete(second -> answered(second, span, requestTime, started, answer));
            } else {
                answered(first, span, requestTime, started, answer);
            }
        });
        return answer.future();
    }

    /**
     * Whether a failed try is tried once more, on a new connection: a pooled connection the backend
     * closed just as it was reused fails before any answer, and a bodiless idempotent request can
     * safely be sent again. A timeout is not tried again (the backend is slow, not gone).
     */
    private static boolean mayRetry(BackendCall call, Throwable failure) {
        return call.body() == null && IDEMPOTENT.contains(call.method()) && !isTimeout(failure);
    }

    private void answered(
            AsyncResult<BackendResponse> result,
            BackendSpans.Span span,
            long requestTime,
            long started,
            Promise<Exchange> answer) {
        span.end(result);
        if (result.succeeded()) {
            answer.complete(exchange(result.result(), requestTime, started));
        } else {
            release();
            answer.fail(classify(result.cause()));
        }
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

    /** This server as the client reached it, for a backend configured with port 0. */
    private static Address selfAddress(SocketAddress self) {
        String host = self.hostAddress();
        return new Address(host == null ? "127.0.0.1" : host, self.port(), false);
    }

    /** The configured backend's address; the scheme's port when the URL names none. */
    private static Address configuredAddress(java.net.URI backend) {
        boolean ssl = "https".equals(backend.getScheme());
        int port = backend.getPort() < 0 ? (ssl ? 443 : 80) : backend.getPort();
        String host = backend.getHost();
        // An IPv6 literal comes bracketed in a URI; the connection wants it bare.
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Address(host, port, ssl);
    }

    private Exchange exchange(BackendResponse response, long requestTime, long started) {
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
        if (failure instanceof BackendIoException io) {
            return io.timeout();
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().toLowerCase(Locale.ROOT).contains("timeout")) {
                return true;
            }
        }
        return false;
    }

    private Throwable classify(Throwable failure) {
        if (failure instanceof BackendFailure) {
            return failure;
        }
        boolean timeout = isTimeout(failure);
        metrics.backendError(timeout ? "timeout" : "unavailable");
        BackendFailure.Kind kind = timeout ? BackendFailure.Kind.TIMEOUT : BackendFailure.Kind.UNAVAILABLE;
        String detail = timeout
                ? "The backend did not answer in time (connect "
                        + config.connectTimeout().toMillis() + "ms, response "
                        + config.responseTimeout().toMillis() + "ms)"
                : "The backend could not be reached: " + failure.getMessage();
        return new BackendFailure(kind, detail, null, failure);
    }

    /** Records a 429/503's Retry-After (seconds or HTTP-date) so no request goes out before then. */
    private void rememberRetryAfter(@Nullable String value) {
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
