package io.switchboard.relay.internal;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;

/**
 * The headers that describe one connection rather than the message (RFC 9110 §7.6.1), which a
 * relay must not forward in either direction: the fixed list plus any named in {@code Connection}.
 */
final class HopByHop {

    /** Connection-specific fields every intermediary removes, lower-case. */
    private static final Set<String> FIXED = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade");

    private HopByHop() {}

    /** A copy of {@code headers} without hop-by-hop fields and without those in {@code except}. */
    static MultiMap endToEnd(MultiMap headers, Set<String> except) {
        Set<String> named = new java.util.HashSet<>();
        for (String value : headers.getAll("connection")) {
            for (String token : value.split(",")) {
                named.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        MultiMap copy = MultiMap.caseInsensitiveMultiMap();
        for (var entry : headers) {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (!FIXED.contains(name) && !named.contains(name) && !except.contains(name)) {
                copy.add(entry.getKey(), entry.getValue());
            }
        }
        return copy;
    }
}
