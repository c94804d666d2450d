package io.switchboard.bench.load;

import io.switchboard.bench.RequestSpec;
import io.switchboard.bench.Ticker;
import io.switchboard.bench.measure.StepRecorder;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP side of the load generator: one Vert.x {@link HttpClient} per event loop, each with a
 * keep-alive pool of its share of the connections, pipelining off.
 *
 * <p>Why one client per loop: a Vert.x connection lives on the event loop of the context that
 * opened it, and answers are handed to the context that asked. Giving each loop its own client and
 * its own users keeps every request, its connection and its callbacks on one thread, with no hop
 * between loops, which is what lets a JVM client keep up with wrk.
 *
 * <p>Threading: {@link #exchange} must be called on the event loop of {@link #loop(int)}; it and
 * all its callbacks run there. Requests are taken round-robin from the plan's list.
 */
public final class Transport {

    private final List<Context> loops;
    private final List<HttpClient> clients;
    private final List<RequestOptions> options;
    private final List<Buffer> bodies;
    private final Ticker ticker;
    private final Vertx vertx;
    private final String deployment;
    private final AtomicLong rotation = new AtomicLong();

    private Transport(
            List<Context> loops,
            List<HttpClient> clients,
            List<RequestOptions> options,
            List<Buffer> bodies,
            Ticker ticker,
            Vertx vertx,
            String deployment) {
        this.loops = loops;
        this.clients = clients;
        this.options = options;
        this.bodies = bodies;
        this.ticker = ticker;
        this.vertx = vertx;
        this.deployment = deployment;
    }

    /**
     * Opens a transport with {@code connections} connections spread over {@code loopCount} event
     * loops (connections are opened lazily, on first use).
     */
    public static Future<Transport> open(
            Vertx vertx, List<RequestSpec> requests, int loopCount, int connections, Duration timeout, Ticker ticker) {
        int perLoop = Math.max(1, (connections + loopCount - 1) / loopCount);
        List<RequestOptions> options = requests.stream()
                .map(request -> requestOptions(request, timeout))
                .toList();
        List<Buffer> bodies = requests.stream()
                .map(request -> request.body().length == 0 ? null : Buffer.buffer(request.body()))
                .toList();
        List<Map.Entry<Context, HttpClient>> loops = new CopyOnWriteArrayList<>();
        // Each deployed instance gets its own event loop: the public way to hold one context per loop.
        return vertx.deployVerticle(
                        () -> context -> {
                            loops.add(Map.entry(context, client(vertx, perLoop)));
                            return Future.succeededFuture();
                        },
                        new DeploymentOptions().setInstances(loopCount))
                .map(id -> new Transport(
                        loops.stream().map(Map.Entry::getKey).toList(),
                        loops.stream().map(Map.Entry::getValue).toList(),
                        options,
                        bodies,
                        ticker,
                        vertx,
                        id));
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

    private static RequestOptions requestOptions(RequestSpec request, Duration timeout) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(request.method()))
                .setHost(request.uri().getHost())
                .setPort(request.port())
                .setSsl(request.tls())
                .setURI(request.pathAndQuery())
                .setConnectTimeout(timeout.toMillis())
                .setIdleTimeout(timeout.toMillis());
        request.headers().forEach(header -> options.addHeader(header.name(), header.value()));
        return options;
    }

    /** Event loops (and so clients) of this transport. */
    public int loopCount() {
        return loops.size();
    }

    /** The context whose event loop runs loop {@code index}'s requests. */
    public Context loop(int index) {
        return loops.get(index);
    }

    /**
     * Sends the next request on loop {@code loop} and records its outcome in {@code recorder}. The
     * returned future always succeeds, once the answer is read to its end or the request failed.
     *
     * @param intendedNanos when the request was due; latency is measured from it
     */
    public Future<Void> exchange(int loop, long intendedNanos, StepRecorder recorder) {
        int index = options.size() == 1 ? 0 : (int) (rotation.getAndIncrement() % options.size());
        Exchange exchange = new Exchange(intendedNanos, bodies.get(index), recorder);
        return clients.get(loop)
                .request(options.get(index))
                .compose(exchange::send)
                .compose(Exchange::readToEnd)
                .transform(exchange::record);
    }

    /** Closes the clients and their connections. */
    public Future<Void> close() {
        List<Future<Void>> closing = new ArrayList<>();
        clients.forEach(client -> closing.add(client.close()));
        return Future.join(closing).eventually(() -> vertx.undeploy(deployment)).mapEmpty();
    }

    /** One request in flight: when it was due, when it was sent, where its outcome goes. */
    private final class Exchange {

        private final long intendedNanos;
        private final Buffer body;
        private final StepRecorder recorder;
        private long sentNanos = -1;

        Exchange(long intendedNanos, Buffer body, StepRecorder recorder) {
            this.intendedNanos = intendedNanos;
            this.body = body;
            this.recorder = recorder;
        }

        Future<HttpClientResponse> send(HttpClientRequest request) {
            sentNanos = ticker.nanoTime();
            return body == null ? request.send() : request.send(body);
        }

        static Future<Integer> readToEnd(HttpClientResponse response) {
            return response.end().map(done -> response.statusCode());
        }

        Future<Void> record(AsyncResult<Integer> result) {
            long now = ticker.nanoTime();
            long serviceNanos = now - (sentNanos < 0 ? now : sentNanos);
            if (result.succeeded()) {
                recorder.response(result.result(), now - intendedNanos, serviceNanos);
            } else if (isTimeout(result.cause())) {
                recorder.timeout(now - intendedNanos, serviceNanos);
            } else {
                recorder.connectionError();
            }
            return Future.succeededFuture();
        }

        private static boolean isTimeout(Throwable failure) {
            return failure instanceof TimeoutException
                    || failure.getClass().getSimpleName().contains("Timeout");
        }
    }
}
