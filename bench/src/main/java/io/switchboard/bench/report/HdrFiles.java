package io.switchboard.bench.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;

/**
 * Writes latency histograms as HdrHistogram percentile distributions ({@code .hgrm}), in
 * milliseconds, the format wrk2 prints and HdrHistogram's plotter reads.
 */
public final class HdrFiles {

    /** Recorded values are nanoseconds; the files show milliseconds. */
    private static final double NANOS_PER_MS = 1e6;

    /** Percentile ticks per half distance to 100%: HdrHistogram's usual resolution. */
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    private HdrFiles() {}

    /** {@code latency-c_64.hgrm} for step {@code c=64}: step names become safe file names. */
    public static String fileName(String step) {
        return "latency-" + step.replaceAll("[^A-Za-z0-9._-]", "_") + ".hgrm";
    }

    public static void write(Histogram histogram, Path file) {
        try (OutputStream out = Files.newOutputStream(file);
                PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8)) {
            histogram.outputPercentileDistribution(print, TICKS_PER_HALF_DISTANCE, NANOS_PER_MS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
