package io.switchboard.eye.ingest;

import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Undoes the {@code Content-Encoding} of a {@code POST /events} body: none (or {@code identity})
 * or {@code gzip}, which clients use for large batches. The body handler has already bounded the
 * compressed size; the decompressed size is bounded here too, at the same limit, so a small
 * "gzip bomb" cannot expand into memory (it is read in chunks and abandoned past the limit).
 *
 * <p>Runs on the event loop, like the JSON parsing after it: a body is at most {@code
 * --max-body-bytes} either way, which inflates in about a millisecond.
 */
public final class BodyDecoding {

    /** Bytes inflated per read. */
    private static final int CHUNK = 16 * 1024;

    private BodyDecoding() {}

    /**
     * The body as JSON bytes.
     *
     * @param contentEncoding the request's {@code Content-Encoding}, or null
     * @param limit most bytes the decoded body may have
     * @throws ProblemException 415 for another coding, 400 for broken gzip, 413 past {@code limit}
     */
    public static Buffer decode(String contentEncoding, Buffer body, long limit) {
        String coding = contentEncoding == null ? "" : contentEncoding.strip().toLowerCase(Locale.ROOT);
        if (coding.isEmpty() || coding.equals("identity")) {
            return body;
        }
        if (!coding.equals("gzip") && !coding.equals("x-gzip")) {
            throw new ProblemException(Problem.of(
                            415,
                            "unsupported-content-encoding",
                            "Unsupported content encoding",
                            "events may be sent plain or with 'Content-Encoding: gzip' (was '" + contentEncoding + "')")
                    .withParameter("Content-Encoding"));
        }
        return gunzip(body, limit);
    }

    private static Buffer gunzip(Buffer body, long limit) {
        Buffer out = Buffer.buffer((int) Math.min(limit, Math.max(CHUNK, body.length() * 4L)));
        byte[] chunk = new byte[CHUNK];
        try (InputStream in = new GZIPInputStream(new BufferInput(body), CHUNK)) {
            int read;
            while ((read = in.read(chunk)) > 0) {
                if (out.length() + read > limit) {
                    throw new ProblemException(Problem.ofStatus(
                                    413,
                                    "Content too large",
                                    "the gzip body inflates to more than " + limit
                                            + " bytes, the largest body the server accepts; send smaller batches")
                            .withParameter("Content-Encoding"));
                }
                out.appendBytes(chunk, 0, read);
            }
        } catch (IOException e) {
            throw new ProblemException(Problem.of(
                            400,
                            "invalid-content-encoding",
                            "Invalid gzip body",
                            "the body is declared 'Content-Encoding: gzip' but is not valid gzip: " + e.getMessage())
                    .withParameter("Content-Encoding"));
        }
        return out;
    }

    /** Reads a Vert.x buffer without copying it into an array first. */
    private static final class BufferInput extends InputStream {
        private final Buffer buffer;
        private int position;

        BufferInput(Buffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int read() {
            return position < buffer.length() ? buffer.getByte(position++) & 0xFF : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (position >= buffer.length()) {
                return -1;
            }
            int n = Math.min(length, buffer.length() - position);
            buffer.getBytes(position, position + n, into, offset);
            position += n;
            return n;
        }
    }
}
