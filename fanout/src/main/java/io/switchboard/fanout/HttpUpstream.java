package io.switchboard.fanout;

import io.switchboard.platform.observability.RequestIds;
import io.switchboard.platform.observability.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * An {@link Upstream} that GETs one URL with a pooled Vert.x {@link HttpClient} and checks the
 * answer with a {@link ResponseCheck}.
 *
 * <p>Each attempt has its own timeout timer (the upstream timeout). Cancelling an attempt — a loser
 * of the fan-out, or a timeout — resets its request: on HTTP/1.1 that closes the connection, so the
 * backend sees the client leave and the pool never hands out a connection with a half-read answer.
 *
 * <p>An attempt that was started is always sent, even when it is cancelled while still waiting for
 * its connection: it settles (as cancelled) at once, and its request goes out as soon as the
 * connection is there and is reset once written. Otherwise a hedge fired at the hedge point would
 * never reach the backend whenever the first answer arrived a moment later, before the hedge's
 * connection was ready (issue 14, defect 12): "once the hedge point passes, the hedges go out" is
 * what the seed's own suite checks. {@link #inFlight()} counts requests not yet settled; it returns
 * to zero after every run.
 *
 * <p>Threading: attempts start on the fan-out's event loop, and the client completes their futures
 * and fires their timers on that same loop, so an attempt's fields need no synchronisation.
 */
final class HttpUpstream<T> implements Upstream<T> {

    private final Vertx vertx;
    private final HttpClient client;
    private final URI url;
    private final Duration timeout;
    private final ResponseCheck<T> check;
    private final Tracing tracing;
    private final AtomicInteger inFlight = new AtomicInteger();

    public HttpUpstream(
            Vertx vertx, HttpClient client, URI url, Duration timeout, ResponseCheck<T> check, Tracing tracing) {
        if (url == null || !url.isAbsolute() || url.getHost() == null) {
            throw new IllegalArgumentException("upstream URL must be absolute with a host, was " + url);
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("upstream URL must be http or https, was " + url);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("upstream timeout must be positive, was " + timeout);
        }
        this.vertx = vertx;
        this.client = client;
        this.url = url;
        this.timeout = timeout;
        this.check = check;
        this.tracing = tracing;
    }

    @Override
    public Call<T> start(Attempt attempt) {
        HttpCall call = new HttpCall(attempt);
        call.begin();
        return call;
    }

    @Override
    public String target() {
        return url.toString();
    }

    /** Requests started and not settled (answered, failed, timed out or cancelled). */
    public int inFlight() {
        return inFlight.get();
    }

    /** One GET; settles exactly once. */
    private final class HttpCall implements Call<T> {

        private final Attempt attempt;
        private final Promise<T> promise = Promise.promise();
        private @Nullable HttpClientRequest request;
        private long timer = -1;
        private boolean done;

        HttpCall(Attempt attempt) {
            this.attempt = attempt;
        }

        void begin() {
            inFlight.incrementAndGet();
            timer = vertx.setTimer(timeout.toMillis(), id -> {
                timer = -1;
                abort(new AttemptFailedException(
                        AttemptFailure.Kind.TIMEOUT,
                        "no answer within the upstream timeout of " + timeout.toMillis() + " ms"));
            });
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    .setAbsoluteURI(url.toString())
                    .putHeader(RequestIds.HEADER, attempt.requestId() + "." + attempt.index());
            // The caller's trace goes on to the backend: each attempt is a client span of its own
            // when tracing is on, else the caller's traceparent is passed on unchanged.
            tracing.prepareOutgoing(options.getHeaders());
            client.request(options).compose(this::send).compose(this::readBody).onComplete(result -> {
                if (result.succeeded()) {
                    settle(result.result(), null);
                } else {
                    settle(null, result.cause());
                }
            });
        }

        private Future<HttpClientResponse> send(HttpClientRequest obtained) {
            request = obtained;
            if (done) {
                // Cancelled while waiting for a connection: it was fired, so it still goes out; the
                // reset after the write closes the connection instead of reading an answer for nobody.
                obtained.end().onComplete(written -> obtained.reset());
                return Future.failedFuture(new AttemptFailedException(AttemptFailure.Kind.CONNECTION, "cancelled"));
            }
            return obtained.send();
        }

        private Future<T> readBody(HttpClientResponse response) {
            return response.body().map(body -> check.check(response.statusCode(), body));
        }

        @Override
        public Future<T> result() {
            return promise.future();
        }

        @Override
        public void cancel() {
            abort(new AttemptFailedException(AttemptFailure.Kind.CONNECTION, "cancelled"));
        }

        private void abort(AttemptFailedException why) {
            if (done) {
                return;
            }
            if (request != null) {
                request.reset();
            }
            settle(null, why);
        }

        private void settle(@Nullable T value, @Nullable Throwable failure) {
            if (done) {
                return;
            }
            done = true;
            inFlight.decrementAndGet();
            if (timer != -1) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
            if (failure == null) {
                promise.complete(value);
            } else {
                promise.fail(failure);
            }
        }
    }
}
