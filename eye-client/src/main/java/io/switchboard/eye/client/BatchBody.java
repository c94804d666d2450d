package io.switchboard.eye.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The body of one {@code POST /events}: a JSON array of events already written as JSON by {@code
 * send}, so a retry or a split half is assembled again without serialising anything twice, and
 * gzip-compressed above a threshold.
 *
 * @param bytes the body as sent
 * @param gzip whether it is compressed ({@code Content-Encoding: gzip})
 */
record BatchBody(byte[] bytes, boolean gzip) {

    /** Joins {@code events} (each a JSON object) into an array, compressing it if longer than {@code gzipAbove}. */
    static BatchBody of(List<byte[]> events, int gzipAbove) {
        int size = 2 + events.size();
        for (byte[] event : events) {
            size += event.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write('[');
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(events.get(i));
        }
        out.write(']');
        byte[] json = out.toByteArray();
        return json.length > gzipAbove ? new BatchBody(gzip(json), true) : new BatchBody(json, false);
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: does not happen
        }
        return out.toByteArray();
    }
}
