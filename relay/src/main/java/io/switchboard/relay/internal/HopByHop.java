package io.switchboard.relay.internal;

import io.vertx.core.MultiMap;
import java.util.Set;

/**
 * The headers that describe one connection rather than the message (RFC 9110 §7.6.1), which a
 * relay must not forward in either direction: the fixed list plus any named in {@code Connection}.
 */
final class HopByHop {

    private HopByHop() {}

    /**
     * Whether {@code name} is one of the connection-specific fields every intermediary removes,
     * ignoring case. Runs for every header line of every relayed message: a switch on the length
     * leaves at most two case-insensitive comparisons, where a case-insensitive sorted set compared
     * each name several times (it showed in profiles), and nothing is lower-cased or allocated.
     */
    static boolean isFixed(String name) {
        return switch (name.length()) {
            case 2 -> name.equalsIgnoreCase("te");
            case 7 -> name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade");
            case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
            case 16 -> name.equalsIgnoreCase("proxy-connection");
            case 17 -> name.equalsIgnoreCase("transfer-encoding");
            case 18 -> name.equalsIgnoreCase("proxy-authenticate");
            case 19 -> name.equalsIgnoreCase("proxy-authorization");
            default -> false;
        };
    }

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
            for (String value : from.getAll("connection")) {
                named = addNamed(value, named);
            }
        }
        for (var entry : from) {
            String name = entry.getKey();
            if (!isFixed(name) && !named.contains(name) && !containsIgnoringCase(except, name)) {
                to.add(name, entry.getValue());
            }
        }
    }

    /**
     * Adds the field names that {@code connection} (one {@code Connection} value) lists to {@code
     * named}. Nearly every message says only {@code keep-alive}, a field removed anyway: then
     * nothing is split or allocated.
     */
    private static Set<String> addNamed(String connection, Set<String> named) {
        Set<String> result = named;
        int start = 0;
        while (start <= connection.length()) {
            int comma = connection.indexOf(',', start);
            int end = comma < 0 ? connection.length() : comma;
            String token = connection.substring(start, end).trim();
            if (!token.isEmpty() && !isFixed(token)) {
                if (result.isEmpty()) {
                    result = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
                }
                result.add(token);
            }
            start = end + 1;
        }
        return result;
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
