package io.switchboard.bench.report;

import io.switchboard.bench.BenchResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes every report of a run into one folder: {@code result.json}, {@code report.html}, {@code
 * latency.png}, and one HdrHistogram percentile distribution per step plus {@code
 * latency-overall.hgrm} (readable by HdrHistogram's plotter and other tools that take {@code .hgrm}).
 */
public final class Reports {

    /** File names inside the report folder. */
    public static final String JSON = "result.json", HTML = "report.html", PNG = "latency.png";

    private Reports() {}

    /** Writes the three files into {@code folder} (created if needed) and returns their paths. */
    public static List<Path> write(BenchResult result, Path folder) throws IOException {
        Files.createDirectories(folder);
        Path json = folder.resolve(JSON), html = folder.resolve(HTML), png = folder.resolve(PNG);
        new JsonReport().write(result, json);
        new HtmlReport().write(result, html);
        new PngChart().write(result, png);
        List<Path> written = new ArrayList<>(List.of(json, html, png));
        result.histograms().forEach((step, histogram) -> {
            Path file = folder.resolve(HdrFiles.fileName(step));
            HdrFiles.write(histogram, file);
            written.add(file);
        });
        return written;
    }
}
