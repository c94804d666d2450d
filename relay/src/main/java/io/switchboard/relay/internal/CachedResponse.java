package io.switchboard.relay.internal;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A stored backend response: what is needed to answer from it and to judge its age (RFC 9111
 * §4.2.3), plus the request header values it was selected by ({@code Vary}).
 *
 * @param status the backend's status code
 * @param headers end-to-end response headers, in order (no hop-by-hop ones, no Content-Length)
 * @param body the full body
 * @param requestTime epoch milliseconds when the relay sent the request that produced it
 * @param responseTime epoch milliseconds when the relay received its headers
 * @param varyValues for each header named by {@code Vary} (lower-case), the request's value then
 * @param parsed what every hit needs from the fields above, worked out once when the response is
 *     stored rather than on each hit (date parsing and header filtering dominated a hit's cost)
 */
public record CachedResponse(
        int status,
        List<Header> headers,
        byte[] body,
        long requestTime,
        long responseTime,
        Map<String, String> varyValues,
        Parsed parsed) {

    /** One response header line. */
    public record Header(String name, String value) {}

    /**
     * The stored response's fields as a hit uses them, derived from its headers and body only.
     *
     * @param date the {@code Date} header in epoch ms, or null when absent or invalid
     * @param age the {@code Age} header's value by RFC 9111 §5.1 (the first member), empty when
     *     absent or invalid
     * @param cacheControl the directives in force: {@code CDN-Cache-Control} when present and valid
     *     (RFC 9213), else {@code Cache-Control}
     * @param expires the {@code Expires} values, in order; none when {@code CDN-Cache-Control} rules
     * @param answerHeaders the header lines a 200 answer from the cache repeats (all but {@code Age}
     *     and the relay's own {@code X-Cache}/{@code X-Request-Id}), as ASCII strings that the HTTP
     *     encoder copies without re-encoding
     * @param bodyBuffer the body as one buffer that can be written any number of times
     */
    public record Parsed(
            @Nullable Long date,
            OptionalLong age,
            CacheControl cacheControl,
            List<String> expires,
            List<Map.Entry<AsciiString, AsciiString>> answerHeaders,
            Buffer bodyBuffer) {}

    /** Response fields the relay sets itself and never repeats from a stored response (lower-case). */
    private static final Set<String> NOT_REPEATED = Set.of("age", "x-request-id", "x-cache");

    /** A stored response; {@link #parsed()} is worked out here, once. */
    public CachedResponse(
            int status,
            List<Header> headers,
            byte[] body,
            long requestTime,
            long responseTime,
            Map<String, String> varyValues) {
        this(status, headers, body, requestTime, responseTime, varyValues, parse(headers, body));
    }

    private static Parsed parse(List<Header> headers, byte[] body) {
        Optional<CacheControl> targeted = CachePolicy.targeted(values(headers, CachePolicy.TARGETED_FIELD));
        List<String> dates = values(headers, "date");
        List<Map.Entry<AsciiString, AsciiString>> answer = new ArrayList<>();
        for (Header h : headers) {
            if (!NOT_REPEATED.contains(h.name().toLowerCase(Locale.ROOT))) {
                answer.add(Map.entry(AsciiString.of(h.name()), AsciiString.of(h.value())));
            }
        }
        return new Parsed(
                dates.isEmpty() ? null : CachePolicy.httpDate(dates.get(0)),
                CachePolicy.ageValue(values(headers, "age")),
                targeted.orElseGet(() -> CacheControl.parse(values(headers, "cache-control"))),
                targeted.isPresent() ? List.of() : List.copyOf(values(headers, "expires")),
                List.copyOf(answer),
                Buffer.buffer(body));
    }

    private static List<String> values(List<Header> headers, String name) {
        List<String> values = new ArrayList<>();
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                values.add(h.value());
            }
        }
        return values;
    }

    /**
     * Fields a 304 must not overwrite in the stored response (RFC 9111 §3.2; the validator and the
     * body's digest describe the stored body, not the 304).
     */
    private static final Set<String> NOT_UPDATED_BY_304 =
            Set.of("content-length", "content-encoding", "content-range", "content-md5", "etag");

    public static CachedResponse of(
            int status, MultiMap headers, byte[] body, long requestTime, long responseTime, MultiMap requestHeaders) {
        List<Header> list = new ArrayList<>();
        for (var entry : headers) {
            if (!entry.getKey().equalsIgnoreCase("content-length")) {
                list.add(new Header(entry.getKey(), entry.getValue()));
            }
        }
        return new CachedResponse(
                status, List.copyOf(list), body, requestTime, responseTime, varyValuesOf(headers, requestHeaders));
    }

    /** The request header values named by the response's {@code Vary}; {@code *} maps to itself. */
    static Map<String, String> varyValuesOf(MultiMap responseHeaders, MultiMap requestHeaders) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : responseHeaders.getAll("vary")) {
            for (String token : line.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                values.put(name, name.equals("*") ? "*" : normalized(requestHeaders.getAll(name)));
            }
        }
        return Map.copyOf(values);
    }

    /** Whether a request with {@code requestHeaders} may be answered by this response (§4.1). */
    public boolean matches(MultiMap requestHeaders) {
        for (var entry : varyValues.entrySet()) {
            if (entry.getKey().equals("*")) {
                return false;
            }
            if (!entry.getValue().equals(normalized(requestHeaders.getAll(entry.getKey())))) {
                return false;
            }
        }
        return true;
    }

    private static String normalized(List<String> values) {
        List<String> parts = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                parts.add(part.trim().replaceAll("\\s+", " "));
            }
        }
        return String.join(",", parts);
    }

    public MultiMap headerMap() {
        MultiMap map = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(h -> map.add(h.name(), h.value()));
        return map;
    }

    /** The first value of {@code name}, or null. */
    public @Nullable String header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    public List<String> headerValues(String name) {
        return values(headers, name);
    }

    /**
     * The stored response freshened by a 304 (RFC 9111 §4.3.4): its header fields replace the
     * stored ones of the same name, and the age clock restarts.
     */
    public CachedResponse refreshedBy(MultiMap notModified, long newRequestTime, long newResponseTime) {
        Set<String> replaced = new java.util.HashSet<>();
        for (String name : notModified.names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_UPDATED_BY_304.contains(lower)) {
                replaced.add(lower);
            }
        }
        List<Header> merged = new ArrayList<>();
        for (Header h : headers) {
            if (!replaced.contains(h.name().toLowerCase(Locale.ROOT))) {
                merged.add(h);
            }
        }
        for (var entry : notModified) {
            if (replaced.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
                merged.add(new Header(entry.getKey(), entry.getValue()));
            }
        }
        return new CachedResponse(status, List.copyOf(merged), body, newRequestTime, newResponseTime, varyValues);
    }

    /** Approximate bytes held, for the cache's byte bound. */
    public int weight() {
        int weight = body.length + 64;
        for (Header h : headers) {
            weight += h.name().length() + h.value().length() + 16;
        }
        return weight;
    }

    public JsonObject toJson() {
        JsonArray list = new JsonArray();
        headers.forEach(h -> list.add(new JsonArray().add(h.name()).add(h.value())));
        return new JsonObject()
                .put("status", status)
                .put("headers", list)
                .put("body", body)
                .put("requestTime", requestTime)
                .put("responseTime", responseTime)
                .put("vary", new JsonObject(new LinkedHashMap<>(varyValues)));
    }

    public static CachedResponse fromJson(JsonObject json) {
        List<Header> list = new ArrayList<>();
        for (Object line : json.getJsonArray("headers")) {
            JsonArray pair = (JsonArray) line;
            list.add(new Header(pair.getString(0), pair.getString(1)));
        }
        Map<String, String> vary = new LinkedHashMap<>();
        json.getJsonObject("vary").forEach(e -> vary.put(e.getKey(), String.valueOf(e.getValue())));
        return new CachedResponse(
                json.getInteger("status"),
                List.copyOf(list),
                json.getBinary("body"),
                json.getLong("requestTime"),
                json.getLong("responseTime"),
                Map.copyOf(vary));
    }
}
