package io.switchboard.relay.internal;

import io.netty.util.AsciiString;
import io.switchboard.relay.internal.client.BackendResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writes the relay's answers: a stored response (with {@code Age} and {@code X-Cache}, a 304 when
 * the client's own validators match, a 206 for a range of a stored 200), or the backend's answer
 * streamed through without buffering.
 */
final class AnswerWriter {
    /** Response fields a 304 from the cache repeats (RFC 9110 §15.4.5). */
    private static final List<String> NOT_MODIFIED_FIELDS =
            List.of("cache-control", "content-location", "date", "etag", "expires", "vary", "last-modified");

    /** Names of the fields the relay sets on every cacheable answer, encoded once. */
    private static final AsciiString AGE = AsciiString.cached("Age");

    private static final AsciiString X_CACHE = AsciiString.cached("X-Cache");

    /** Response fields the relay sets itself and never copies from the backend (lower-case). */
    private static final Set<String> OWN_RESPONSE_HEADERS = Set.of("x-request-id", "x-cache");

    /**
     * Streamed answers whose Content-Length is at most this are read whole and written with their
     * head in one write: one system call instead of head, body and end separately, at the cost of
     * holding this much per request in flight.
     */
    private static final long SINGLE_WRITE_MAX_BYTES = 64 * 1024;

    private final CachePolicy policy;
    private final Clock clock;
    private final Forwarding forwarding;

    AnswerWriter(CachePolicy policy, Clock clock, Forwarding forwarding) {
        this.policy = policy;
        this.clock = clock;
        this.forwarding = forwarding;
    }

    void writeOutcome(RoutingContext ctx, Outcome outcome) {
        if (outcome.buffered() != null) {
            writeStored(ctx, outcome.buffered(), outcome.xCache());
        } else {
            Backend.Exchange streaming =
                    Objects.requireNonNull(outcome.streaming(), "an outcome with nothing buffered streams");
            stream(ctx, streaming, outcome.xCache(), outcome.streamedPrefix());
        }
    }

    void writeStored(RoutingContext ctx, CachedResponse entry, String xCache) {
        HttpServerResponse response = ctx.response();
        long age = policy.currentAgeSeconds(entry, clock.millis());
        OptionalLong receivedAge = entry.parsed().age();
        if ("MISS".equals(xCache) && receivedAge.isPresent()) {
            // A response just received goes on with the Age it came with.
            age = receivedAge.getAsLong();
        }
        if (entry.status() == 200 && clientValidatorMatches(ctx.request().headers(), entry)) {
            response.setStatusCode(304);
            for (String name : NOT_MODIFIED_FIELDS) {
                entry.headerValues(name).forEach(v -> response.headers().add(name, v));
            }
        } else {
            response.setStatusCode(entry.status());
            MultiMap headers = response.headers();
            for (Map.Entry<AsciiString, AsciiString> header : entry.parsed().answerHeaders()) {
                headers.add(header.getKey(), header.getValue());
            }
        }
        response.putHeader(AGE, Long.toString(age));
        response.putHeader(X_CACHE, xCache);
        forwarding.appendVia(response.headers());
        if (response.getStatusCode() == 304 || response.getStatusCode() == 204) {
            response.end();
        } else if (ctx.request().method().equals(HttpMethod.HEAD)) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(entry.body().length));
            response.end();
        } else {
            Optional<ByteRange> range = servedRange(ctx.request(), entry, xCache);
            if (range.isPresent()) {
                writeRange(response, entry.body(), range.get());
            } else {
                response.end(entry.parsed().bodyBuffer());
            }
        }
    }

    /**
     * The range a GET asks for when it can be served from the stored complete 200 (RFC 9111 §3.4):
     * only for an answer from the cache (a fresh miss was fetched without the range being honoured
     * by anyone), and only when an {@code If-Range} is absent or names the stored strong validator.
     */
    private static Optional<ByteRange> servedRange(HttpServerRequest request, CachedResponse entry, String xCache) {
        String range = request.getHeader("range");
        if (range == null
                || entry.status() != 200
                || !request.method().equals(HttpMethod.GET)
                || "MISS".equals(xCache)) {
            return Optional.empty();
        }
        String ifRange = request.getHeader("if-range");
        if (ifRange != null && (ifRange.startsWith("W/") || !ifRange.equals(entry.header("etag")))) {
            return Optional.empty();
        }
        return ByteRange.parse(range, entry.body().length);
    }

    private static void writeRange(HttpServerResponse response, byte[] body, ByteRange range) {
        response.setStatusCode(206);
        response.putHeader("Content-Range", range.contentRange(body.length));
        response.putHeader("Content-Length", Long.toString(range.size()));
        response.end(Buffer.buffer(body).getBuffer((int) range.first(), (int) range.last() + 1));
    }

    /** Streams the backend's answer; {@code prefix}, when not null, is the body's start already read. */
    void stream(RoutingContext ctx, Backend.Exchange exchange, @Nullable String xCache, @Nullable Buffer prefix) {
        BackendResponse upstream = exchange.response();
        HttpServerResponse response = ctx.response();
        response.setStatusCode(upstream.statusCode());
        if (upstream.statusMessage() != null) {
            response.setStatusMessage(upstream.statusMessage());
        }
        HopByHop.copyEndToEnd(upstream.headers(), response.headers(), OWN_RESPONSE_HEADERS);
        forwarding.appendVia(response.headers());
        if (xCache != null) {
            response.putHeader(X_CACHE, xCache);
        }
        int status = upstream.statusCode();
        boolean bodyless =
                ctx.request().method().equals(HttpMethod.HEAD) || status == 204 || status == 304 || status < 200;
        if (bodyless) {
            upstream.body().onComplete(ignored -> response.end());
            return;
        }
        String length = response.headers().get(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            response.setChunked(true);
        } else if (prefix == null && isSmall(length)) {
            upstream.body().onSuccess(response::end).onFailure(failure -> response.reset());
            return;
        }
        if (prefix != null) {
            response.write(prefix);
        }
        upstream.pipeTo(response).onFailure(failure -> {
            if (!response.ended()) {
                response.reset();
            }
        });
    }

    private static boolean isSmall(String contentLength) {
        int digits = contentLength.length();
        if (digits == 0 || digits > 6) {
            return false;
        }
        for (int i = 0; i < digits; i++) {
            if (!Character.isDigit(contentLength.charAt(i))) {
                return false;
            }
        }
        return Integer.parseInt(contentLength) <= SINGLE_WRITE_MAX_BYTES;
    }

    /** Whether the client's own If-None-Match / If-Modified-Since lets the cache answer 304. */
    private static boolean clientValidatorMatches(MultiMap request, CachedResponse entry) {
        String ifNoneMatch = request.get("if-none-match");
        String etag = entry.header("etag");
        if (ifNoneMatch != null) {
            if (etag == null) {
                return false;
            }
            String opaque = weakless(etag);
            for (String candidate : ifNoneMatch.split(",")) {
                String c = candidate.trim();
                if (c.equals("*") || weakless(c).equals(opaque)) {
                    return true;
                }
            }
            return false;
        }
        String ifModifiedSince = request.get("if-modified-since");
        if (ifModifiedSince == null) {
            return false;
        }
        Long since = CachePolicy.httpDate(ifModifiedSince);
        Long lastModified = CachePolicy.httpDate(entry.header("last-modified"));
        return since != null && lastModified != null && lastModified <= since;
    }

    private static String weakless(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
