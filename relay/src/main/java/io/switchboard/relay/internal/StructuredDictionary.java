package io.switchboard.relay.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strict parser of a Structured Field Dictionary (RFC 8941 §4.2.2), the syntax of targeted
 * cache-control fields such as {@code CDN-Cache-Control} (RFC 9213 §2.1). RFC 9213 asks a cache to
 * ignore a targeted field that fails to parse, so unlike {@link CacheControl} this parser refuses
 * anything outside the grammar instead of making the best of it.
 *
 * <p>Values keep their type in their text: an Integer is its digits, a String keeps its quotes, a
 * boolean true (a bare key) is empty. So a delta-seconds reader sees {@code max-age="10"} as no
 * number at all, as RFC 9213 asks for a value of the wrong type. Parameters are checked and dropped.
 */
final class StructuredDictionary {

    /** Longest field value parsed; a longer one is refused rather than walked. */
    private static final int MAX_LENGTH = 4096;

    private final String input;
    private int pos;

    private StructuredDictionary(String input) {
        this.input = input;
    }

    /** The members of the field lines joined with commas, or empty when they are not a valid dictionary. */
    static Optional<Map<String, String>> parse(List<String> lines) {
        String joined = String.join(",", lines);
        if (joined.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            return Optional.of(new StructuredDictionary(joined).dictionary());
        } catch (IllegalArgumentException invalid) {
            return Optional.empty();
        }
    }

    private Map<String, String> dictionary() {
        Map<String, String> members = new LinkedHashMap<>();
        skipSpaces();
        if (atEnd()) {
            throw invalid("an empty dictionary");
        }
        while (true) {
            String key = key();
            String value = "";
            if (peek() == '=') {
                pos++;
                value = peek() == '(' ? innerList() : bareItem();
            }
            parameters();
            // The last value of a repeated key wins (RFC 8941 §4.2.2).
            members.put(key, value);
            skipOptionalWhitespace();
            if (atEnd()) {
                return members;
            }
            expect(',');
            skipOptionalWhitespace();
            if (atEnd()) {
                throw invalid("a trailing comma");
            }
        }
    }

    private String key() {
        char first = peek();
        if (!(first >= 'a' && first <= 'z') && first != '*') {
            throw invalid("a key starting with '" + first + "'");
        }
        int start = pos;
        while (!atEnd()) {
            char c = peek();
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '*') {
                pos++;
            } else {
                break;
            }
        }
        return input.substring(start, pos);
    }

    private String innerList() {
        int start = pos;
        expect('(');
        while (true) {
            skipSpaces();
            if (peek() == ')') {
                pos++;
                parameters();
                return input.substring(start, pos);
            }
            bareItem();
            parameters();
            if (peek() != ' ' && peek() != ')') {
                throw invalid("an inner list without a space between items");
            }
        }
    }

    private void parameters() {
        while (peek() == ';') {
            pos++;
            skipSpaces();
            key();
            if (peek() == '=') {
                pos++;
                bareItem();
            }
        }
    }

    private String bareItem() {
        char c = peek();
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        if (c == '"') {
            return string();
        }
        if (c == '*' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            return token();
        }
        if (c == ':') {
            return byteSequence();
        }
        if (c == '?') {
            return bool();
        }
        throw invalid("an item starting with '" + c + "'");
    }

    private String number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        int digits = 0;
        int dot = -1;
        while (!atEnd()) {
            char c = peek();
            if (c >= '0' && c <= '9') {
                digits++;
                pos++;
            } else if (c == '.' && dot < 0) {
                dot = digits;
                pos++;
            } else {
                break;
            }
        }
        if (digits == 0 || (dot < 0 && digits > 15) || (dot >= 0 && (dot > 12 || digits - dot > 3 || digits == dot))) {
            throw invalid("a malformed number");
        }
        // A decimal is no delta-seconds: keep it recognisably non-integer.
        return input.substring(start, pos);
    }

    private String string() {
        int start = pos;
        pos++;
        while (!atEnd()) {
            char c = input.charAt(pos++);
            if (c == '\\') {
                if (atEnd() || (peek() != '"' && peek() != '\\')) {
                    throw invalid("a bad escape in a string");
                }
                pos++;
            } else if (c == '"') {
                return input.substring(start, pos);
            } else if (c < 0x20 || c > 0x7e) {
                throw invalid("a control character in a string");
            }
        }
        throw invalid("an unterminated string");
    }

    private String token() {
        int start = pos;
        pos++;
        while (!atEnd() && (isTchar(peek()) || peek() == ':' || peek() == '/')) {
            pos++;
        }
        return input.substring(start, pos);
    }

    private String byteSequence() {
        int start = pos;
        pos++;
        while (!atEnd() && peek() != ':') {
            char c = peek();
            if (!((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '+'
                    || c == '/'
                    || c == '=')) {
                throw invalid("a bad byte sequence");
            }
            pos++;
        }
        expect(':');
        return input.substring(start, pos);
    }

    private String bool() {
        int start = pos;
        pos++;
        char c = peek();
        if (c != '0' && c != '1') {
            throw invalid("a bad boolean");
        }
        pos++;
        return input.substring(start, pos);
    }

    private static boolean isTchar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private void skipSpaces() {
        while (!atEnd() && peek() == ' ') {
            pos++;
        }
    }

    private void skipOptionalWhitespace() {
        while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    private void expect(char c) {
        if (peek() != c) {
            throw invalid("'" + c + "' expected");
        }
        pos++;
    }

    private char peek() {
        return atEnd() ? '\0' : input.charAt(pos);
    }

    private boolean atEnd() {
        return pos >= input.length();
    }

    private IllegalArgumentException invalid(String what) {
        return new IllegalArgumentException(what + " at " + pos);
    }
}
