package io.switchboard.bench.load;

import java.net.ProtocolException;

/**
 * Finds where one HTTP/1.1 response ends, scanning the received bytes in place: the status code,
 * then the body's framing (RFC 9112 §6.3: no body for HEAD, 1xx, 204 and 304; chunked; {@code
 * Content-Length}; else until the connection closes) and whether the connection stays open. It
 * builds no header objects and no strings, and allocates nothing per response: a load generator
 * needs only the status, the end of the body and its size.
 *
 * <p>Interim answers ({@code 100 Continue}, {@code 103 Early Hints}) are skipped: the exchange
 * ends with the final answer. Body bytes count the payload as received, without chunk framing.
 *
 * <p>Threading: one instance per connection, used by the thread that reads it.
 */
final class ResponseFraming {

    /** Where the parser is: in the head, in a body of known length, in chunked framing, or done. */
    private enum State {
        HEAD,
        LENGTH,
        CHUNK_SIZE,
        CHUNK_EXTENSION,
        CHUNK_SIZE_LF,
        CHUNK_DATA,
        CHUNK_DATA_CR,
        CHUNK_DATA_LF,
        TRAILER_LINE_START,
        TRAILER_LINE,
        TRAILER_END_LF,
        UNTIL_CLOSE,
        DONE
    }

    /** Largest chunk size accepted (hex digits beyond it would overflow a long). */
    private static final long MAX_CHUNK = Long.MAX_VALUE >> 4;

    private State state = State.HEAD;
    private boolean headRequest;
    private int status;
    private boolean keepAlive;
    private long remaining;
    private long bodyBytes;

    /** Prepares for the answer to a new request ({@code head}: the request was a HEAD, so no body). */
    void reset(boolean head) {
        state = State.HEAD;
        headRequest = head;
        status = 0;
        keepAlive = true;
        remaining = 0;
        bodyBytes = 0;
    }

    /**
     * Consumes bytes {@code [from, to)} of {@code bytes} and returns the index after the last byte
     * consumed. While the head is incomplete, nothing is consumed: the caller keeps the bytes and
     * calls again with more. Bytes after the end of the response are left unconsumed.
     *
     * @throws ProtocolException when the bytes are not an HTTP/1.x response
     */
    int consume(byte[] bytes, int from, int to) throws ProtocolException {
        int at = from;
        while (at < to && state != State.DONE) {
            at = switch (state) {
                case HEAD -> head(bytes, at, to);
                case LENGTH, CHUNK_DATA -> body(at, to);
                case UNTIL_CLOSE -> {
                    bodyBytes += to - at;
                    yield to;
                }
                default -> chunkFraming(bytes, at, to);
            };
            if (state == State.HEAD && at == from) {
                return from; // head incomplete: wait for more bytes
            }
            from = at;
        }
        return at;
    }

    /** The connection closed: true when that ends this response (a body delimited by the close). */
    boolean endsAtClose() {
        if (state == State.UNTIL_CLOSE) {
            state = State.DONE;
            return true;
        }
        return state == State.DONE;
    }

    boolean done() {
        return state == State.DONE;
    }

    int status() {
        return status;
    }

    long bodyBytes() {
        return bodyBytes;
    }

    /** Whether the connection may carry another request (valid once {@link #done()}). */
    boolean keepAlive() {
        return keepAlive;
    }

    private int head(byte[] bytes, int from, int to) throws ProtocolException {
        int end = headEnd(bytes, from, to);
        if (end < 0) {
            return from;
        }
        int lineEnd = lineEnd(bytes, from, end);
        statusLine(bytes, from, lineEnd);
        long length = -1;
        boolean chunked = false;
        int line = lineEnd + 1;
        while (line < end) {
            int next = lineEnd(bytes, line, end);
            int stop = next > line && bytes[next - 1] == '\r' ? next - 1 : next;
            if (stop == line) {
                break; // the empty line
            }
            int colon = indexOf(bytes, line, stop, (byte) ':');
            if (colon > line) {
                int value = skipSpaces(bytes, colon + 1, stop);
                int valueEnd = trimEnd(bytes, value, stop);
                int nameLength = colon - line;
                if (nameLength == 14 && equalsIgnoreCase(bytes, line, "content-length")) {
                    length = contentLength(bytes, value, valueEnd);
                } else if (nameLength == 17 && equalsIgnoreCase(bytes, line, "transfer-encoding")) {
                    chunked = endsWithIgnoreCase(bytes, value, valueEnd, "chunked");
                } else if (nameLength == 10 && equalsIgnoreCase(bytes, line, "connection")) {
                    connection(bytes, value, valueEnd);
                }
            }
            line = next + 1;
        }
        frame(length, chunked);
        return end;
    }

    /** Chooses how the body ends, RFC 9112 §6.3 order. */
    private void frame(long length, boolean chunked) {
        if (status >= 100 && status < 200 && status != 101) {
            state = State.HEAD; // interim answer: the final one follows
            int kept = status;
            reset(headRequest);
            status = kept; // consumed, so the exchange has started
            return;
        }
        if (headRequest || status == 204 || status == 304 || status == 101) {
            state = State.DONE;
            keepAlive &= status != 101;
        } else if (chunked) {
            state = State.CHUNK_SIZE;
            remaining = 0;
        } else if (length >= 0) {
            remaining = length;
            state = length == 0 ? State.DONE : State.LENGTH;
        } else {
            state = State.UNTIL_CLOSE;
            keepAlive = false;
        }
    }

    private int body(int from, int to) {
        int take = (int) Math.min(remaining, to - from);
        remaining -= take;
        bodyBytes += take;
        if (remaining == 0) {
            state = state == State.LENGTH ? State.DONE : State.CHUNK_DATA_CR;
        }
        return from + take;
    }

    /** Chunk sizes, extensions, line ends and trailers, byte by byte (they are a few bytes each). */
    private int chunkFraming(byte[] bytes, int from, int to) throws ProtocolException {
        int at = from;
        while (at < to) {
            byte b = bytes[at++];
            switch (state) {
                case CHUNK_SIZE -> {
                    int digit = Character.digit(b, 16);
                    if (digit >= 0) {
                        if (remaining > MAX_CHUNK) {
                            throw new ProtocolException("chunk size too large");
                        }
                        remaining = remaining * 16 + digit;
                    } else if (b == ';' || b == ' ' || b == '\t') {
                        state = State.CHUNK_EXTENSION;
                    } else if (b == '\r') {
                        state = State.CHUNK_SIZE_LF;
                    } else if (b == '\n') {
                        return endOfSizeLine(at);
                    } else {
                        throw new ProtocolException("bad chunk size byte " + (b & 0xff));
                    }
                }
                case CHUNK_EXTENSION -> {
                    if (b == '\n') {
                        return endOfSizeLine(at);
                    }
                }
                case CHUNK_SIZE_LF -> {
                    if (b != '\n') {
                        throw new ProtocolException("chunk size line without LF");
                    }
                    return endOfSizeLine(at);
                }
                case CHUNK_DATA_CR -> {
                    if (b == '\n') {
                        state = State.CHUNK_SIZE;
                    } else if (b == '\r') {
                        state = State.CHUNK_DATA_LF;
                    } else {
                        throw new ProtocolException("chunk data not followed by CRLF");
                    }
                }
                case CHUNK_DATA_LF -> {
                    if (b != '\n') {
                        throw new ProtocolException("chunk data not followed by CRLF");
                    }
                    state = State.CHUNK_SIZE;
                }
                case TRAILER_LINE_START -> {
                    if (b == '\n') {
                        state = State.DONE;
                        return at;
                    }
                    state = b == '\r' ? State.TRAILER_END_LF : State.TRAILER_LINE;
                }
                case TRAILER_END_LF -> {
                    if (b != '\n') {
                        throw new ProtocolException("trailer section not ended by CRLF");
                    }
                    state = State.DONE;
                    return at;
                }
                case TRAILER_LINE -> {
                    if (b == '\n') {
                        state = State.TRAILER_LINE_START;
                    }
                }
                default -> throw new IllegalStateException("not in chunk framing: " + state);
            }
        }
        return at;
    }

    private int endOfSizeLine(int at) {
        if (remaining == 0) {
            state = State.TRAILER_LINE_START; // last chunk: trailers, then the empty line
        } else {
            state = State.CHUNK_DATA;
        }
        return at;
    }

    private void statusLine(byte[] bytes, int from, int end) throws ProtocolException {
        // "HTTP/1.x SSS" at least
        if (end - from < 12
                || bytes[from] != 'H'
                || bytes[from + 1] != 'T'
                || bytes[from + 2] != 'T'
                || bytes[from + 3] != 'P'
                || bytes[from + 4] != '/'
                || bytes[from + 5] != '1'
                || bytes[from + 6] != '.'
                || bytes[from + 8] != ' ') {
            throw new ProtocolException("not an HTTP/1.x status line");
        }
        int code = 0;
        for (int i = from + 9; i < from + 12; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new ProtocolException("bad status code");
            }
            code = code * 10 + digit;
        }
        status = code;
        keepAlive = bytes[from + 7] != '0'; // HTTP/1.0 closes unless it says keep-alive
    }

    private void connection(byte[] bytes, int from, int to) {
        // A token list: "close" anywhere closes; "keep-alive" keeps an HTTP/1.0 connection open.
        for (int i = from; i < to; i++) {
            if (matchesIgnoreCase(bytes, i, to, "close")) {
                keepAlive = false;
                return;
            }
            if (matchesIgnoreCase(bytes, i, to, "keep-alive")) {
                keepAlive = true;
            }
        }
    }

    private static long contentLength(byte[] bytes, int from, int to) throws ProtocolException {
        if (from == to) {
            throw new ProtocolException("empty Content-Length");
        }
        long length = 0;
        for (int i = from; i < to; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9 || length > Long.MAX_VALUE / 10 - 9) {
                throw new ProtocolException("bad Content-Length");
            }
            length = length * 10 + digit;
        }
        return length;
    }

    /** Index just after the head's empty line, or -1 when it has not arrived yet; LF alone is accepted. */
    private static int headEnd(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                if (i + 1 < to && bytes[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < to && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    private static int lineEnd(byte[] bytes, int from, int to) {
        int lf = indexOf(bytes, from, to, (byte) '\n');
        return lf < 0 ? to : lf;
    }

    private static int indexOf(byte[] bytes, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpaces(byte[] bytes, int from, int to) {
        while (from < to && (bytes[from] == ' ' || bytes[from] == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimEnd(byte[] bytes, int from, int to) {
        while (to > from && (bytes[to - 1] == ' ' || bytes[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    /** Compares with a lower-case ASCII name (HTTP field names are ASCII). */
    private static boolean equalsIgnoreCase(byte[] bytes, int from, String lowerCase) {
        for (int i = 0; i < lowerCase.length(); i++) {
            int b = bytes[from + i];
            char c = lowerCase.charAt(i);
            if (b != c && !(c >= 'a' && c <= 'z' && (b | 0x20) == c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesIgnoreCase(byte[] bytes, int from, int to, String lowerCase) {
        return to - from >= lowerCase.length() && equalsIgnoreCase(bytes, from, lowerCase);
    }

    private static boolean endsWithIgnoreCase(byte[] bytes, int from, int to, String lowerCase) {
        return to - from >= lowerCase.length() && equalsIgnoreCase(bytes, to - lowerCase.length(), lowerCase);
    }
}
