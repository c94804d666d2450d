package io.switchboard.bench.report;

import io.switchboard.bench.BenchResult;
import io.switchboard.bench.BenchResult.Capacity;
import io.switchboard.bench.BenchResult.Latency;
import io.switchboard.bench.BenchResult.StepResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Writes {@code report.html}: one self-contained page that opens from disk with no network. The
 * result's JSON, the step table and the chart library (uPlot, MIT licence, vendored as a resource
 * beside its licence) are all inlined into a template; the charts are drawn in the browser.
 */
final class HtmlReport {

    /** Resource folder of the template and the vendored chart library. */
    private static final String RESOURCES = "/io/switchboard/bench/report/";

    private final JsonReport json = new JsonReport();

    public String html(BenchResult result) {
        String data = json.json(result).replace("</", "<\\/");
        return resource("report.html")
                .replace("{{UPLOT_CSS}}", resource("uPlot.min.css"))
                .replace("{{TITLE}}", escape(result.target()))
                .replace("{{SUBTITLE}}", escape(subtitle(result)))
                .replace("{{CAPACITY}}", capacity(result.capacity()))
                .replace("{{TABLE}}", table(result))
                .replace("{{UPLOT_JS}}", resource("uPlot.iife.min.js"))
                .replace("{{DATA}}", data);
    }

    public void write(BenchResult result, Path file) throws IOException {
        Files.writeString(file, html(result));
    }

    private static String subtitle(BenchResult result) {
        String model = result.model().equals("open")
                ? "Open model: requests sent at a constant rate; latency counts from each request's intended send"
                        + " time, so stalls are not hidden (coordinated omission corrected)."
                : "Closed model: a fixed number of concurrent users per step, each sending again once answered.";
        return model + " Started " + result.startedAt() + ".";
    }

    private static String capacity(@Nullable Capacity capacity) {
        if (capacity == null) {
            return "";
        }
        String text = capacity.step() == null
                ? String.format(
                        Locale.ROOT, "No step kept p99 under %.0f ms with under 1%% errors.", capacity.sloP99Ms())
                : String.format(
                        Locale.ROOT,
                        "Capacity estimate: %s, %,.0f req/s with p99 under %.0f ms.",
                        capacity.step(),
                        capacity.throughput(),
                        capacity.sloP99Ms());
        return "<p><strong>" + escape(text) + "</strong></p>";
    }

    private static String table(BenchResult result) {
        StringBuilder out = new StringBuilder("<table>\n<tr><th>step</th><th>requests</th><th>req/s</th>"
                + "<th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>p99.99 ms</th><th>max ms</th>"
                + "<th>status errors</th><th>timeouts</th><th>connection errors</th></tr>\n");
        result.steps().forEach(step -> out.append(row(step)));
        out.append(row(result.overall()));
        return out.append("</table>").toString();
    }

    private static String row(StepResult step) {
        Latency l = step.latency();
        return String.format(
                Locale.ROOT,
                "<tr><td>%s</td><td>%d</td><td>%.0f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td>"
                        + "<td>%.2f</td><td>%.2f</td><td>%d</td><td>%d</td><td>%d</td></tr>%n",
                escape(step.name()),
                step.requests(),
                step.throughput(),
                l.p50(),
                l.p90(),
                l.p99(),
                l.p999(),
                l.p9999(),
                l.max(),
                step.errors().status(),
                step.errors().timeout(),
                step.errors().connection());
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCES + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
