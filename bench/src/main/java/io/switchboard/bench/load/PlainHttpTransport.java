package io.switchboard.bench.load;

import io.switchboard.bench.RequestSpec;
import io.switchboard.bench.Ticker;
import io.switchboard.bench.measure.StepRecorder;
import io.vertx.core.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 on plain sockets, built for a load generator's one job: send the same few requests as
 * fast as the server answers and measure each answer. It is what wrk does, in Java: one NIO
 * selector thread per loop ({@link SelectorLoop}), each owning its share of keep-alive
 * connections; requests are encoded once ({@link RequestBytes}) and written from native memory;
 * answers are framed in place ({@link ResponseFraming}) without building headers or strings.
 *
 * <p>Why not Vert.x's HttpClient here: per request it builds header maps, request and response
 * objects, and a chain of futures, and hands each answer through several handlers. A profile of
 * {@code bench} on nginx showed that work, not the server, limiting throughput, and its larger
 * code also takes the JIT longer to compile, which a 5-second run pays in full.
 *
 * <p>Used when every request is {@code http://} to one origin (one host and port); TLS and mixed
 * origins go through {@link VertxTransport}. Requests are taken round-robin from the plan's list.
 */
final class PlainHttpTransport implements Transport {

    private final List<SelectorLoop> loops;
    private final int requestCount;
    private final AtomicLong rotation = new AtomicLong();

    private PlainHttpTransport(List<SelectorLoop> loops, int requestCount) {
        this.loops = loops;
        this.requestCount = requestCount;
    }

    /** Whether this transport can send {@code requests}: plain http, all to one host and port. */
    static boolean supports(List<RequestSpec> requests) {
        RequestSpec first = requests.getFirst();
        return requests.stream()
                .allMatch(request -> !request.tls()
                        && request.port() == first.port()
                        && request.uri().getHost().equalsIgnoreCase(first.uri().getHost()));
    }

    /**
     * Starts {@code loopCount} selector threads sharing {@code connections} connections (opened
     * on first use). The origin's address is resolved once, here.
     */
    static PlainHttpTransport open(
            List<RequestSpec> requests, int loopCount, int connections, Duration timeout, Ticker ticker)
            throws IOException {
        RequestSpec first = requests.getFirst();
        String host = first.uri().getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal
        }
        InetSocketAddress address = new InetSocketAddress(host, first.port());
        if (address.isUnresolved()) {
            throw new IOException("cannot resolve " + host);
        }
        List<RequestBytes> encoded = requests.stream().map(RequestBytes::of).toList();
        int perLoop = Math.max(1, (connections + loopCount - 1) / loopCount);
        List<SelectorLoop> loops = new ArrayList<>(loopCount);
        try {
            for (int i = 0; i < loopCount; i++) {
                loops.add(SelectorLoop.start(i, address, encoded, perLoop, timeout, ticker));
            }
        } catch (IOException e) {
            loops.forEach(SelectorLoop::stop);
            throw e;
        }
        return new PlainHttpTransport(List.copyOf(loops), encoded.size());
    }

    @Override
    public int loopCount() {
        return loops.size();
    }

    @Override
    public void execute(int loop, Runnable task) {
        loops.get(loop).execute(task);
    }

    @Override
    public Future<Void> exchange(int loop, long intendedNanos, StepRecorder recorder) {
        int request = requestCount == 1 ? 0 : (int) (rotation.getAndIncrement() % requestCount);
        return loops.get(loop).exchange(intendedNanos, request, recorder);
    }

    @Override
    public Future<Void> close() {
        return Future.join(loops.stream().map(SelectorLoop::stop).toList()).mapEmpty();
    }
}
