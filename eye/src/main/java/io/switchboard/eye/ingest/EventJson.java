package io.switchboard.eye.ingest;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON reader of the eye, used by ingestion (the request body) and by processing (the
 * stored {@code data}), so that what ingestion accepts, processing can read: the same parser, the
 * same limits. Strict: no comments, no duplicate keys, no trailing content, no number that does not
 * fit a double, no string with an unpaired surrogate (it cannot be stored as UTF-8), at most
 * {@link #MAX_DEPTH} levels of nesting and {@link #MAX_DATA_CHARS} characters of {@code data}.
 *
 * <p>The tree is Jackson 3's, the one the JSON Schema validator reads, so validation never parses
 * the payload again with different limits. Thread-safe.
 */
public final class EventJson {

    /**
     * Most nesting levels of a request body (a batch and its events count); {@code data} therefore
     * nests at most {@code MAX_DEPTH - 2} levels. Real payloads nest a handful; the limit keeps every
     * recursive walk (ours and the validator's) far from the thread's stack.
     */
    public static final int MAX_DEPTH = 64;

    /** Most characters of one event's {@code data} as stored (compact JSON). */
    public static final int MAX_DATA_CHARS = 64 * 1024;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private EventJson() {}

    /** A JSON text that breaks a rule; {@code path} names where ({@code [3].data.x}, or "" for the root). */
    public static final class InvalidJsonException extends RuntimeException {

        private final String path;

        InvalidJsonException(String path, String message) {
            super(message, null, false, false);
            this.path = path;
        }

        public String path() {
            return path;
        }
    }

    /**
     * Parses {@code json} and checks every string and number in it.
     *
     * @throws InvalidJsonException naming where the text breaks a rule
     */
    public static JsonNode read(byte[] json) {
        try (JsonParser parser = openParser(json)) {
            return checked(parser);
        }
    }

    /**
     * A parser over {@code json}. Jackson detects the encoding from the first bytes when the parser is
     * made, so a body that starts like UTF-32 with an impossible byte order fails here, before any
     * token (found by fuzzing: it escaped as a 500).
     */
    private static JsonParser openParser(byte[] json) {
        try {
            return MAPPER.createParser(json);
        } catch (JacksonException e) {
            throw new InvalidJsonException("", firstLine(e.getOriginalMessage()));
        }
    }

    /** {@link #read(byte[])} for stored text. */
    public static JsonNode read(String json) {
        if (json.length() > MAX_DATA_CHARS) {
            throw new InvalidJsonException(
                    "", "the JSON text has " + json.length() + " characters; at most " + MAX_DATA_CHARS);
        }
        try (JsonParser parser = MAPPER.createParser(json)) {
            return checked(parser);
        }
    }

    /** Compact JSON text of {@code node}, as stored. */
    public static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    private static JsonNode checked(JsonParser parser) {
        JsonNode node;
        try {
            node = MAPPER.readTree(parser);
        } catch (StreamConstraintsException e) {
            // Deep nesting: name the outermost levels, the full path would be as long as the nesting.
            throw new InvalidJsonException(path(parser.streamReadContext(), true), firstLine(e.getOriginalMessage()));
        } catch (JacksonException e) {
            throw new InvalidJsonException(path(parser.streamReadContext(), false), firstLine(e.getOriginalMessage()));
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidJsonException("", "there is no JSON value");
        }
        check(node, new ArrayDeque<>());
        return node;
    }

    /**
     * Checks every string, key and number under {@code node}. {@code path} holds the keys and indexes
     * leading to it and becomes text only when something fails: building the path of every value
     * of every event as a string was a large share of ingestion's allocations.
     */
    private static void check(JsonNode node, ArrayDeque<Object> path) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                if (unpairedSurrogate(property.getKey()).isPresent()) {
                    String where = path.isEmpty() ? "(root)" : text(path);
                    fail(
                            where,
                            "a property name has an unpaired UTF-16 surrogate at character "
                                    + unpairedSurrogate(property.getKey()).orElseThrow()
                                    + "; it cannot be stored as UTF-8");
                }
                path.addLast(property.getKey());
                check(property.getValue(), path);
                path.removeLast();
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                path.addLast(i);
                check(node.get(i), path);
                path.removeLast();
            }
        } else if (node.isString()) {
            unpairedSurrogate(node.stringValue())
                    .ifPresent(at -> fail(
                            text(path),
                            "the string has an unpaired UTF-16 surrogate at character " + at
                                    + "; it cannot be stored as UTF-8"));
        } else if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            fail(text(path), "the number is beyond the range of a 64-bit floating point number");
        }
    }

    /** {@code [3].data.x} from keys (strings) and indexes (integers). */
    private static String text(ArrayDeque<Object> path) {
        StringBuilder text = new StringBuilder();
        for (Object segment : path) {
            if (segment instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else {
                text.append(text.isEmpty() ? "" : ".").append(segment);
            }
        }
        return text.toString();
    }

    private static void fail(String path, String message) {
        throw new InvalidJsonException(path, message);
    }

    /** Index of the first unpaired surrogate of {@code text}, if any. */
    public static Optional<Integer> unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code [3].data.x} from the parser's position; with {@code eventFieldOnly}, only up to the
     * event's field ({@code [3].data}), for errors whose full path would be as long as the nesting.
     */
    private static String path(TokenStreamContext context, boolean eventFieldOnly) {
        ArrayDeque<String> segments = new ArrayDeque<>();
        for (TokenStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                segments.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.inObject() && c.currentName() != null) {
                segments.addFirst("." + c.currentName());
            }
        }
        int levels = !eventFieldOnly
                ? Integer.MAX_VALUE
                : segments.isEmpty() || !segments.peekFirst().startsWith("[") ? 1 : 2;
        StringBuilder path = new StringBuilder();
        int n = 0;
        for (String segment : segments) {
            if (n++ == levels) {
                break;
            }
            path.append(segment);
        }
        return path.length() > 0 && path.charAt(0) == '.' ? path.substring(1) : path.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable JSON";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
