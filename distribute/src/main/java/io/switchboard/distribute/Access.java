package io.switchboard.distribute;

import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Who may run code: running code is a privilege. With tokens configured ({@code DISTRIBUTE_TOKENS})
 * a caller presents one as {@code Authorization: Bearer <token>}; without, only callers on loopback
 * are served, since anyone who reaches the port could otherwise run anything on the workers.
 */
final class Access {

    private final Set<byte[]> tokens;

    // Arrays by identity are fine: the set is only iterated, comparing each token in constant time.
    @SuppressWarnings("UndefinedEquals")
    Access(Set<String> tokens) {
        this.tokens = new java.util.HashSet<>();
        tokens.forEach(t -> this.tokens.add(t.getBytes(StandardCharsets.UTF_8)));
    }

    boolean loopbackOnly() {
        return tokens.isEmpty();
    }

    /** @throws ProblemException 401 without a valid token, 403 off loopback when no token is configured */
    void check(HttpServerRequest request) {
        if (tokens.isEmpty()) {
            if (!isLoopback(request.remoteAddress())) {
                throw new ProblemException(Problem.of(
                        403,
                        "loopback-only",
                        "Forbidden",
                        "no DISTRIBUTE_TOKENS are configured, so distribute serves callers on loopback only"));
            }
            return;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("send a distribute token as 'Authorization: Bearer <token>'");
        }
        byte[] presented = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] token : tokens) {
            ok |= MessageDigest.isEqual(presented, token);
        }
        if (!ok) {
            throw unauthorized("the bearer token is not one of DISTRIBUTE_TOKENS");
        }
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(
                Problem.of(401, "unauthorized", "Unauthorized", detail).withParameter("Authorization"));
    }

    private static boolean isLoopback(SocketAddress address) {
        if (address == null || address.hostAddress() == null) {
            return false;
        }
        try {
            return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
