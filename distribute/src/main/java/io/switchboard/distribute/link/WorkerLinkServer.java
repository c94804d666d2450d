package io.switchboard.distribute.link;

import io.switchboard.distribute.bundle.BundleStore;
import io.switchboard.distribute.dispatch.Dispatcher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Accepts worker links: a TCP server (loopback by default) whose connections become {@link
 * WorkerConnection}s once their hello carries a valid token.
 */
public final class WorkerLinkServer {

    private final Vertx vertx;
    private final Dispatcher dispatcher;
    private final BundleStore bundles;
    private final Set<String> tokens;
    private final Predicate<String> supervised;
    private final WorkerKiller killer;
    /** Null until {@link #listen}. */
    private @Nullable NetServer server;

    /**
     * @param tokens tokens a worker may present: the supervisor's secret and, for remote workers, the client tokens
     * @param supervised tells which worker ids belong to local processes (their loss is reported with the exit code)
     * @param killer ends a worker's process when the dispatcher kills it
     */
    public WorkerLinkServer(
            Vertx vertx,
            Dispatcher dispatcher,
            BundleStore bundles,
            Set<String> tokens,
            Predicate<String> supervised,
            WorkerKiller killer) {
        this.vertx = vertx;
        this.dispatcher = dispatcher;
        this.bundles = bundles;
        this.tokens = Set.copyOf(tokens);
        this.supervised = supervised;
        this.killer = killer;
    }

    /** Listens; the future holds the actual port (the configured one may be 0). */
    public Future<Integer> listen(String host, int port) {
        server = vertx.createNetServer(new NetServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                .setReuseAddress(true));
        server.connectHandler(socket -> new WorkerConnection(socket, this).start());
        return server.listen().map(NetServer::actualPort);
    }

    /** The port it listens on, or 0 before it does. */
    public int port() {
        return server == null ? 0 : server.actualPort();
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    BundleStore bundles() {
        return bundles;
    }

    Vertx vertx() {
        return vertx;
    }

    boolean isSupervised(String workerId) {
        return supervised.test(workerId);
    }

    WorkerKiller killer() {
        return killer;
    }

    /** Constant-time comparison, so a token cannot be guessed byte by byte from timing. */
    boolean acceptsToken(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (String token : tokens) {
            ok |= MessageDigest.isEqual(bytes, token.getBytes(StandardCharsets.UTF_8));
        }
        return ok;
    }

    /** Ends a worker's process; for remote workers closing the link is all there is. */
    @FunctionalInterface
    public interface WorkerKiller {
        /**
         * Ends the process of worker {@code workerId}.
         *
         * @param pid the process id the worker announced, so that a late call cannot end the
         *     slot's replacement process; null kills whatever process holds the slot
         */
        void kill(String workerId, @Nullable Long pid);
    }
}
