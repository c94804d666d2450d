package io.switchboard.distribute.worker;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what a task prints: {@code System.out} and {@code System.err} are replaced once, at
 * worker start, by streams that write into the current task's buffers, each bounded so that a
 * chatty function cannot exhaust the worker's memory or the result frame.
 */
final class OutputCapture {

    /** Bytes kept per stream and task; the rest is counted and reported as truncated. */
    static final int MAX_BYTES = 64 * 1024;

    private final Sink out = new Sink();
    private final Sink err = new Sink();

    void install() {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    void reset() {
        out.reset();
        err.reset();
    }

    String stdout() {
        System.out.flush();
        return out.text();
    }

    String stderr() {
        System.err.flush();
        return err.text();
    }

    private static final class Sink extends OutputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long dropped;

        @Override
        public synchronized void write(int b) {
            if (kept.size() < MAX_BYTES) {
                kept.write(b);
            } else {
                dropped++;
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = Math.max(0, MAX_BYTES - kept.size());
            int taken = Math.min(room, len);
            kept.write(b, off, taken);
            dropped += len - taken;
        }

        synchronized void reset() {
            kept.reset();
            dropped = 0;
        }

        synchronized String text() {
            String text = kept.toString(StandardCharsets.UTF_8);
            return dropped == 0 ? text : text + "\n[" + dropped + " more bytes dropped]";
        }
    }
}
