package io.switchboard.relay.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The directives of one or more {@code Cache-Control} field lines (RFC 9111 §5.2), lower-cased,
 * with quoted arguments unquoted. Unknown directives are kept and ignored by callers, as the RFC
 * asks.
 */
record CacheControl(Map<String, String> directives) {

    /** No directives: what a message without {@code Cache-Control} has. */
    static final CacheControl NONE = new CacheControl(Map.of());

    static CacheControl parse(List<String> lines) {
        Map<String, String> directives = new HashMap<>();
        for (String line : lines) {
            for (String part : splitOutsideQuotes(line)) {
                String trimmed = part.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int eq = trimmed.indexOf('=');
                String name =
                        (eq < 0 ? trimmed : trimmed.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : unquote(trimmed.substring(eq + 1).trim());
                // A directive repeated with different values is invalid; the first one wins here.
                directives.putIfAbsent(name, value);
            }
        }
        return new CacheControl(Map.copyOf(directives));
    }

    boolean has(String name) {
        return directives.containsKey(name);
    }

    /**
     * The delta-seconds argument of {@code name}; empty when absent or not a number. Values beyond
     * 2^31 count as 2^31, as RFC 9111 §1.2.2 asks.
     */
    OptionalLong seconds(String name) {
        String value = directives.get(name);
        if (value == null || value.isEmpty()) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            if (!Character.isDigit(value.charAt(i))) {
                return OptionalLong.empty();
            }
        }
        if (value.length() > 10) {
            return OptionalLong.of(Integer.MAX_VALUE + 1L);
        }
        return OptionalLong.of(Math.min(Long.parseLong(value), Integer.MAX_VALUE + 1L));
    }

    private static List<String> splitOutsideQuotes(String line) {
        List<String> parts = new java.util.ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
