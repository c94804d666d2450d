package io.switchboard.compute;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Writes a result of any size with a Content-Length (digits are ASCII, so the length is known
 * before the first byte). Small ones go out in one buffer; large ones (millions of digits) in
 * chunks, honouring the connection's back-pressure so a slow client never makes the server hold
 * more than one chunk per response beyond the result itself. Chunks are the digits' Latin-1 bytes
 * (a copy, where UTF-8 encoding would scan them).
 */
final class ResultWriter {

    /** Results up to this many characters are sent in one piece, larger ones in pieces this big. */
    private static final int CHUNK_CHARS = 256 * 1024;

    private ResultWriter() {}

    static void plain(HttpServerResponse response, String digits) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
        write(response, "", digits, "");
    }

    /** {@code head} plus a last string field {@code field} holding {@code digits}. */
    static void json(HttpServerResponse response, JsonObject head, String field, String digits) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        String encoded = head.encode();
        // Digits need no JSON escaping, so the value can be spliced in without re-encoding it.
        String prefix = encoded.substring(0, encoded.length() - 1) + ",\"" + field + "\":\"";
        write(response, prefix, digits, "\"}");
    }

    private static void write(HttpServerResponse response, String prefix, String body, String suffix) {
        if (body.length() <= CHUNK_CHARS) {
            response.end(prefix + body + suffix);
            return;
        }
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] tail = suffix.getBytes(StandardCharsets.UTF_8);
        response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString((long) head.length + body.length() + tail.length));
        response.write(Buffer.buffer(head));
        new Pump(response, body, tail).next();
    }

    /** Writes the body chunk by chunk, pausing while the response's write queue is full. */
    private static final class Pump {

        private final HttpServerResponse response;
        private final String body;
        private final byte[] tail;
        private int offset;

        Pump(HttpServerResponse response, String body, byte[] tail) {
            this.response = response;
            this.body = body;
            this.tail = tail;
        }

        void next() {
            while (offset < body.length()) {
                if (response.closed()) {
                    return;
                }
                int end = Math.min(body.length(), offset + CHUNK_CHARS);
                response.write(Buffer.buffer(body.substring(offset, end).getBytes(StandardCharsets.ISO_8859_1)));
                offset = end;
                if (response.writeQueueFull()) {
                    response.drainHandler(drained -> next());
                    return;
                }
            }
            response.end(Buffer.buffer(tail));
        }
    }
}
