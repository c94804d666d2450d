package io.switchboard.relay.internal;

import io.vertx.core.MultiMap;
import java.util.Set;

/**
 * The headers that describe one connection rather than the message (RFC 9110 §7.6.1), which a
 * relay must not forward in either direction: the fixed list plus any named in {@code Connection}.
 */
final class HopByHop {

    /**
     * Connection-specific fields every intermediary removes. Looked up ignoring case, so that the
     * names of every relayed message need not be lower-cased (an allocation per header line).
     */
    private static final Set<String> FIXED = caseInsensitive(
            "connection",
            "keep-alive",
            "proxy-connection",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade");

    private static Set<String> caseInsensitive(String... names) {
        Set<String> set = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(java.util.List.of(names));
        return java.util.Collections.unmodifiableSet(set);
    }

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
            named = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            for (String value : from.getAll("connection")) {
                for (String token : value.split(",")) {
                    named.add(token.trim());
                }
            }
        }
        for (var entry : from) {
            String name = entry.getKey();
            if (!FIXED.contains(name) && !named.contains(name) && !containsIgnoringCase(except, name)) {
                to.add(name, entry.getValue());
            }
        }
    }

    /** {@code names} are lower-case and few (the caller's exceptions), so a scan beats a lookup. */
    private static boolean containsIgnoringCase(Set<String> names, String name) {
        for (String candidate : names) {
            if (candidate.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
