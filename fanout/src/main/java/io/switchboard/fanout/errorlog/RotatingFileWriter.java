package io.switchboard.fanout.errorlog;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends lines to a file on a dedicated thread and rotates it by size: {@code file} becomes
 * {@code file.1}, {@code file.1} becomes {@code file.2}, and so on up to {@code keep} old files.
 *
 * <p>Threads: {@link #append} only offers the line to a bounded queue, so the event loop never
 * waits for the disk; when the queue is full the line is dropped and counted ({@link #dropped()}),
 * because losing a log line beats stalling every request. One writer thread does all file I/O and
 * flushes whenever it has caught up with the queue.
 */
public final class RotatingFileWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RotatingFileWriter.class);

    /** Lines waiting for the writer thread beyond which new ones are dropped. */
    private static final int QUEUE_CAPACITY = 65_536;

    private final Path path;
    private final long maxBytes;
    private final int keep;
    private final ThreadPoolExecutor writer;
    private final AtomicLong dropped = new AtomicLong();
    private @Nullable BufferedWriter out;
    private long size;

    public RotatingFileWriter(Path path, long maxBytes, int keep) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("log file size limit must be at least 1 byte, was " + maxBytes);
        }
        if (keep < 0) {
            throw new IllegalArgumentException("rotated log files kept must be 0 or more, was " + keep);
        }
        this.path = path;
        this.maxBytes = maxBytes;
        this.keep = keep;
        this.writer = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                runnable -> {
                    Thread thread = new Thread(runnable, "log-writer-" + path.getFileName());
                    thread.setDaemon(true);
                    return thread;
                },
                (runnable, executor) -> dropped.incrementAndGet());
    }

    /** Queues one line (a newline is added); never blocks. */
    public void append(String line) {
        writer.execute(() -> write(line));
    }

    /** Lines dropped because the queue was full or the file could not be written. */
    public long dropped() {
        return dropped.get();
    }

    public Path path() {
        return path;
    }

    private void write(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (out == null) {
                open();
            }
            if (size > 0 && size + bytes.length > maxBytes) {
                rotate();
            }
            BufferedWriter file = Objects.requireNonNull(out, "open() and rotate() leave the file open");
            file.write(line);
            file.write('\n');
            size += bytes.length;
            if (writer.getQueue().isEmpty()) {
                file.flush();
            }
        } catch (IOException | UncheckedIOException e) {
            dropped.incrementAndGet();
            log.atWarn().setCause(e).addKeyValue("file", path).log("cannot write log line");
            closeQuietly();
        }
    }

    private void open() throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = Files.newBufferedWriter(
                path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(path);
    }

    private void rotate() throws IOException {
        Objects.requireNonNull(out, "rotated only once open").close();
        out = null;
        if (keep == 0) {
            Files.delete(path);
        } else {
            for (int i = keep - 1; i >= 1; i--) {
                Path older = rotated(i);
                if (Files.exists(older)) {
                    Files.move(older, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    private Path rotated(int generation) {
        return path.resolveSibling(path.getFileName() + "." + generation);
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // Already failing; the next line reopens the file.
            }
            out = null;
        }
    }

    /** Writes what is queued, then closes the file. */
    @Override
    public void close() {
        writer.execute(this::closeQuietly);
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                log.atWarn().addKeyValue("file", path).log("log writer did not finish in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
