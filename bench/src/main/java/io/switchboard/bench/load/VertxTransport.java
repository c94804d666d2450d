package io.switchboard.bench.load;

import io.switchboard.bench.RequestSpec;
import io.switchboard.bench.Ticker;
import io.switchboard.bench.measure.StepRecorder;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The transport on Vert.x's {@link HttpClient} (TLS, several origins): one client per event loop, each with a
 * keep-alive pool of its share of the connections, pipelining off.
 *
 * <p>Why one client per loop: a Vert.x connection lives on the event loop of the context that
 * opened it, and answers are handed to the context that asked. Giving each loop its own client and
 * its own users keeps every request, its connection and its callbacks on one thread, with no hop
 * between loops, which is what lets a JVM client keep up with wrk.
 *
 * <p>Timeouts: Vert.x's per-request timeouts schedule and cancel two timers per request (pool wait
 * and idle), which a profile showed as ~6% of the client's CPU. Instead, each loop keeps its
 * exchanges in a FIFO (all share one timeout, so deadlines are in order) and a sweeper timer
 * fails those past their deadline: an exchange still waiting for a connection gives it back
 * unused when it gets one, and one on the wire is reset. A request so counts as a timeout when
 * its whole exchange (connection wait included) outlasts {@code timeout}, as in wrk.
 *
 * <p>Threading: {@link #exchange} must be called on the event loop of its loop; it, its
 * callbacks and that loop's sweeper run there, so the FIFO needs no locking. Requests are taken
 * round-robin from the plan's list.
 */
final class VertxTransport implements Transport {

    /** Sweeper period bounds: often enough for short timeouts, rarely enough to cost nothing. */
    static final long MIN_SWEEP_MS = 5, MAX_SWEEP_MS = 100;

    private final List<Loop> loops;
    private final List<RequestOptions> options;
    private final List<Buffer> bodies;
    private final Ticker ticker;
    private final long timeoutNanos;
    private final Vertx vertx;
    private final String deployment;
    private final AtomicLong rotation = new AtomicLong();

    private VertxTransport(
            List<Loop> loops,
            List<RequestOptions> options,
            List<Buffer> bodies,
            Ticker ticker,
            long timeoutNanos,
            Vertx vertx,
            String deployment) {
        this.loops = loops;
        this.options = options;
        this.bodies = bodies;
        this.ticker = ticker;
        this.timeoutNanos = timeoutNanos;
        this.vertx = vertx;
        this.deployment = deployment;
    }

    /** One event loop's context, client, pending exchanges and sweeper timer. */
    private record Loop(Context context, HttpClient client, ArrayDeque<Exchange> pending, long sweeper) {}

    /**
     * Opens a transport with {@code connections} connections spread over {@code loopCount} event
     * loops (connections are opened lazily, on first use).
     */
    static Future<VertxTransport> open(
            Vertx vertx, List<RequestSpec> requests, int loopCount, int connections, Duration timeout, Ticker ticker) {
        int perLoop = Math.max(1, (connections + loopCount - 1) / loopCount);
        List<RequestOptions> options =
                requests.stream().map(VertxTransport::requestOptions).toList();
        List<Buffer> bodies = requests.stream()
                .map(request -> request.body().length == 0 ? null : Buffer.buffer(request.body()))
                .toList();
        long sweepMs = Math.clamp(timeout.toMillis() / 4, MIN_SWEEP_MS, MAX_SWEEP_MS);
        List<Loop> loops = new CopyOnWriteArrayList<>();
        // Each deployed instance gets its own event loop: the public way to hold one context per loop.
        return vertx.deployVerticle(
                        () -> context -> {
                            ArrayDeque<Exchange> pending = new ArrayDeque<>();
                            long sweeper = vertx.setPeriodic(sweepMs, id -> sweep(pending, ticker.nanoTime()));
                            loops.add(new Loop(context, client(vertx, perLoop), pending, sweeper));
                            return Future.succeededFuture();
                        },
                        new DeploymentOptions().setInstances(loopCount))
                .map(id ->
                        new VertxTransport(List.copyOf(loops), options, bodies, ticker, timeout.toNanos(), vertx, id));
    }

    private static HttpClient client(Vertx vertx, int poolSize) {
        return vertx.httpClientBuilder()
                .with(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setPipelining(false)
                        .setTcpNoDelay(true)
                        .setDecompressionSupported(false))
                .with(new PoolOptions().setHttp1MaxSize(poolSize))
                .build();
    }

    private static RequestOptions requestOptions(RequestSpec request) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(request.method()))
                .setHost(request.uri().getHost())
                .setPort(request.port())
                .setSsl(request.tls())
                .setURI(request.pathAndQuery());
        request.headers().forEach(header -> options.addHeader(header.name(), header.value()));
        return options;
    }

    /** Fails the exchanges past their deadline; drops finished ones from the head. Runs on the loop. */
    private static void sweep(ArrayDeque<Exchange> pending, long nowNanos) {
        Exchange head;
        while ((head = pending.peekFirst()) != null && (head.finished() || head.deadlineNanos <= nowNanos)) {
            pending.pollFirst();
            head.expire(nowNanos);
        }
    }

    @Override
    public int loopCount() {
        return loops.size();
    }

    @Override
    public void execute(int loop, Runnable task) {
        loops.get(loop).context().runOnContext(run -> task.run());
    }

    @Override
    public Future<Void> exchange(int loop, long intendedNanos, StepRecorder recorder) {
        int index = options.size() == 1 ? 0 : (int) (rotation.getAndIncrement() % options.size());
        Loop on = loops.get(loop);
        Exchange exchange = new Exchange(intendedNanos, ticker.nanoTime() + timeoutNanos, bodies.get(index), recorder);
        on.pending().addLast(exchange);
        on.client()
                .request(options.get(index))
                .compose(exchange::send)
                .compose(exchange::readToEnd)
                .onComplete(exchange::record);
        return exchange.done.future();
    }

    @Override
    public Future<Void> close() {
        List<Future<Void>> closing = new ArrayList<>();
        for (Loop loop : loops) {
            vertx.cancelTimer(loop.sweeper());
            closing.add(loop.client().close());
        }
        return Future.join(closing).eventually(() -> vertx.undeploy(deployment)).mapEmpty();
    }

    /** One request in flight: when it was due, when it was sent, where its outcome goes. */
    private final class Exchange {

        private final long intendedNanos;
        private final long deadlineNanos;
        private final Buffer body;
        private final StepRecorder recorder;
        private final Promise<Void> done = Promise.promise();
        private @Nullable HttpClientRequest request;
        private long sentNanos = -1;
        /** Body bytes read so far; touched on the exchange's event loop only. */
        private long bodyBytes;

        Exchange(long intendedNanos, long deadlineNanos, Buffer body, StepRecorder recorder) {
            this.intendedNanos = intendedNanos;
            this.deadlineNanos = deadlineNanos;
            this.body = body;
            this.recorder = recorder;
        }

        boolean finished() {
            return done.future().isComplete();
        }

        Future<HttpClientResponse> send(HttpClientRequest obtained) {
            request = obtained;
            if (finished()) {
                // Timed out while waiting for a connection: give the connection back unused.
                obtained.reset();
                return Future.failedFuture(new TimeoutException("expired before it was sent"));
            }
            sentNanos = ticker.nanoTime();
            return body == null ? obtained.send() : obtained.send(body);
        }

        Future<Integer> readToEnd(HttpClientResponse response) {
            response.handler(chunk -> bodyBytes += chunk.length());
            return response.end().map(done -> response.statusCode());
        }

        void expire(long nowNanos) {
            if (finished()) {
                return;
            }
            recorder.timeout(nowNanos - intendedNanos, nowNanos - (sentNanos < 0 ? nowNanos : sentNanos));
            done.complete();
            if (request != null) {
                request.reset();
            }
        }

        void record(AsyncResult<Integer> result) {
            if (finished()) {
                return; // already counted as a timeout by the sweeper
            }
            long now = ticker.nanoTime();
            long serviceNanos = now - (sentNanos < 0 ? now : sentNanos);
            if (result.succeeded()) {
                recorder.response(result.result(), now - intendedNanos, serviceNanos, bodyBytes);
            } else if (isTimeout(result.cause())) {
                recorder.timeout(now - intendedNanos, serviceNanos);
            } else {
                recorder.connectionError();
            }
            done.complete();
        }

        private static boolean isTimeout(Throwable failure) {
            return failure instanceof TimeoutException
                    || failure.getClass().getSimpleName().contains("Timeout");
        }
    }
}
