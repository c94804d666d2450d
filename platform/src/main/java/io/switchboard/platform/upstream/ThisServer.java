package io.switchboard.platform.upstream;

import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The one way a service names a backend mounted in this same server (serve's built-in mocks): port
 * 0 in the backend's URL, read as "this server, at the address the client reached". The port is
 * only known once the server listens, and the reached address is the one that surely leads back
 * here, whatever the server is bound to.
 */
public final class ThisServer {

    private ThisServer() {}

    /** Whether {@code backend} names this server (its port is 0). */
    public static boolean isNamedBy(URI backend) {
        return backend.getPort() == 0;
    }

    /** {@code backend} with this server's address as {@code reached} put in, when it names this server. */
    public static URI resolve(URI backend, SocketAddress reached) {
        if (!isNamedBy(backend)) {
            return backend;
        }
        String host = reached.hostAddress() == null ? "127.0.0.1" : reached.hostAddress();
        try {
            return new URI(
                    backend.getScheme(),
                    backend.getRawUserInfo(),
                    host,
                    reached.port(),
                    backend.getPath(),
                    backend.getQuery(),
                    backend.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot put " + host + ":" + reached.port() + " into " + backend, e);
        }
    }
}
