package io.switchboard.relay.internal;

import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * Per-request facts every step needs, captured once so background refreshes outlive the request.
 *
 * @param target the relayed path and query
 * @param requestHeaders the client's request headers (read only; a request's headers stay
 *     readable after it ended, so a background refresh may still use them)
 * @param self this server's address as the client reached it, for a backend configured with port 0
 * @param remoteHost the client's address, for X-Forwarded-For; null when the connection has none
 * @param scheme the scheme the client used, for X-Forwarded-Proto
 * @param host the Host the client asked for, for X-Forwarded-Host; null without a Host header
 * @param requestId this request's id, sent on to the backend so that logs correlate
 */
record Lookup(
        RelayTarget target,
        MultiMap requestHeaders,
        SocketAddress self,
        @Nullable String remoteHost,
        String scheme,
        @Nullable String host,
        String requestId) {
    String key() {
        return target.pathAndQuery();
    }
}
