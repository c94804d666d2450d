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
        MultiMap copy = MultiMap.caseInsensitiveMultiMap();
        copyEndToEnd(headers, copy, except);
        return copy;
    }

    /**
     * Adds the lines of {@code from} that are neither hop-by-hop nor in {@code except} to {@code to},
     * in order. Runs for every relayed message, so it allocates only when {@code Connection} names
     * further fields.
     */
    static void copyEndToEnd(MultiMap from, MultiMap to, Set<String> except) {
        Set<String> named = Set.of();
        if (from.contains("connection")) {
            named = new java.util.HashSet<>();
            for (String value : from.getAll("connection")) {
                for (String token : value.split(",")) {
                    named.add(token.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        for (var entry : from) {
            // toLowerCase returns the same string when there is nothing to change.
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (!FIXED.contains(name) && !named.contains(name) && !except.contains(name)) {
                to.add(entry.getKey(), entry.getValue());
            }
        }
    }
}
