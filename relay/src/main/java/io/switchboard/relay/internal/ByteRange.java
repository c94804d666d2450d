package io.switchboard.relay.internal;

import java.util.Optional;

/**
 * One byte range of a stored body, from a request's {@code Range} field (RFC 9110 §14.1.2), so that
 * a range request is answered from a stored complete response (RFC 9111 §3.4) with a 206. Only a
 * single satisfiable range is served this way; anything else (several ranges, other units, syntax
 * the cache does not read) gets the whole stored response, which RFC 9110 §14.2 allows.
 *
 * @param first index of the first byte, inclusive
 * @param last index of the last byte, inclusive
 */
record ByteRange(long first, long last) {

    /** Longest Range value read; longer ones are ignored rather than parsed. */
    private static final int MAX_FIELD_LENGTH = 100;

    /** The single range {@code field} asks for within a body of {@code length} bytes, if it is one. */
    static Optional<ByteRange> parse(String field, long length) {
        if (field == null || field.length() > MAX_FIELD_LENGTH || length <= 0) {
            return Optional.empty();
        }
        String value = field.strip();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6) || value.indexOf(',') >= 0) {
            return Optional.empty();
        }
        String spec = value.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        String from = spec.substring(0, dash).strip();
        String to = spec.substring(dash + 1).strip();
        if ((!digits(from) && !from.isEmpty()) || (!digits(to) && !to.isEmpty()) || (from.isEmpty() && to.isEmpty())) {
            return Optional.empty();
        }
        if (from.isEmpty()) {
            // A suffix: the last N bytes.
            long suffix = parse(to);
            return suffix == 0
                    ? Optional.empty()
                    : Optional.of(new ByteRange(Math.max(0, length - suffix), length - 1));
        }
        long first = parse(from);
        long last = to.isEmpty() ? length - 1 : Math.min(parse(to), length - 1);
        if (first >= length || last < first) {
            return Optional.empty();
        }
        return Optional.of(new ByteRange(first, last));
    }

    /** The {@code Content-Range} value for this range of a body of {@code length} bytes. */
    String contentRange(long length) {
        return "bytes " + first + "-" + last + "/" + length;
    }

    long size() {
        return last - first + 1;
    }

    private static boolean digits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static long parse(String digits) {
        return Long.parseLong(digits);
    }
}
