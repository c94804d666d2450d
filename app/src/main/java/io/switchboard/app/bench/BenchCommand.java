package io.switchboard.app.bench;

import io.switchboard.app.cli.DurationConverter;
import io.switchboard.bench.BenchPlan;
import io.switchboard.bench.BenchResult;
import io.switchboard.bench.LoadModel;
import io.switchboard.bench.RequestSpec;
import io.switchboard.bench.RequestSpec.Header;
import io.switchboard.bench.ScrapeSpec;
import io.switchboard.bench.load.StepRunner;
import io.switchboard.bench.measure.Thresholds;
import io.switchboard.bench.report.HdrFiles;
import io.switchboard.bench.report.JsonReport;
import io.switchboard.bench.report.Reports;
import io.switchboard.bench.report.TerminalSummary;
import io.switchboard.bench.run.Bench;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code switchboard bench}: parses options into a {@link BenchPlan}, runs it with {@link Bench},
 * prints the summary and writes the reports.
 *
 * <p>Numbers and durations are read as strings and checked here, so that a bad value is one line
 * naming the option and exit code 2, like every other usage error.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Load-tests an HTTP server: closed-model concurrency sweeps or an open-model constant rate,"
                + " HdrHistogram percentiles, a capacity estimate, JSON/HTML/PNG reports.%n"
                + "Point it only at servers you own or may load-test: it sends as fast as they answer.")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "URL", description = "Target http(s) URL.")
    String url;

    @Option(
            names = "--method",
            defaultValue = "GET",
            description = "HTTP method (env BENCH_METHOD; default ${DEFAULT-VALUE}).")
    String method;

    @Option(
            names = {"-H", "--header"},
            paramLabel = "'Name: value'",
            description = "Request header, e.g. 'Accept: text/plain'; repeatable (env BENCH_HEADER: one header).")
    List<String> headers = new ArrayList<>();

    @Option(names = "--body", description = "Request body (env BENCH_BODY).")
    String body;

    @Option(names = "--body-file", description = "File whose bytes are the request body (env BENCH_BODY_FILE).")
    Path bodyFile;

    @Option(
            names = "--requests",
            paramLabel = "FILE",
            description =
                    "File of request lines 'METHOD URL [body]', sent round-robin (# starts a comment; env BENCH_REQUESTS).")
    Path requestsFile;

    @Option(
            names = "--duration",
            defaultValue = "10s",
            description = "Length of each step (env BENCH_DURATION; default ${DEFAULT-VALUE}).")
    String duration;

    @Option(
            names = "--requests-count",
            paramLabel = "N",
            defaultValue = "0",
            description = "Requests per step; the step still ends after --duration (env BENCH_REQUESTS_COUNT; "
                    + "default ${DEFAULT-VALUE}: count by time).")
    String requestsCount;

    @Option(
            names = "--warmup",
            defaultValue = "auto",
            description = "Unmeasured load before each step, reported apart; auto: 5 s (at most --duration) before "
                    + "the first step only, since the JIT warms once per process; 0 for none (env BENCH_WARMUP; "
                    + "default ${DEFAULT-VALUE}).")
    String warmup;

    @Option(
            names = "--concurrency",
            defaultValue = "1",
            description = "Closed model: concurrent users per step, e.g. 1,2,4,8 (env BENCH_CONCURRENCY; "
                    + "default ${DEFAULT-VALUE}).")
    String concurrency;

    @Option(
            names = "--rate",
            description = "Open model: constant arrival rate, e.g. 500/s (also N, N/m), or steps run in turn, e.g. "
                    + "100/s,200/s; latency counts from the intended send time (env BENCH_RATE).")
    String rate;

    @Option(
            names = "--connections",
            defaultValue = "64",
            description = "Open model: most connections (env BENCH_CONNECTIONS; default ${DEFAULT-VALUE}).")
    String connections;

    @Option(
            names = "--timeout",
            defaultValue = "10s",
            description = "A request without an answer for this long is a timeout (env BENCH_TIMEOUT; "
                    + "default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(
            names = "--slo-p99",
            description = "p99 objective, e.g. 200ms: a threshold (exit code " + THRESHOLDS_MISSED
                    + " when no step met it) and the capacity estimate's objective (env BENCH_SLO_P99).")
    String sloP99;

    @Option(
            names = "--slo-error-rate",
            paramLabel = "RATE",
            description = "Highest share of failed attempts (status >= 400, timeouts, connection errors), e.g. 1% or "
                    + "0.01: a threshold (exit code " + THRESHOLDS_MISSED + " when no step met it; "
                    + "env BENCH_SLO_ERROR_RATE).")
    String sloErrorRate;

    @Option(
            names = "--json",
            description =
                    "Prints the result as JSON on stdout (the table goes to stderr) for scripts (env BENCH_JSON).")
    boolean json;

    @Option(
            names = "--hgrm",
            paramLabel = "FILE",
            description = "Writes the overall latency distribution as an HdrHistogram .hgrm file (ms); --report "
                    + "writes one per step too (env BENCH_HGRM).")
    Path hgrm;

    @Option(
            names = "--report",
            paramLabel = "DIR",
            description = "Folder for result.json, report.html, latency.png (env BENCH_REPORT).")
    Path report;

    @Option(
            names = "--scrape",
            paramLabel = "NAME[,NAME...]",
            description =
                    "Prometheus gauges sampled every 500 ms during the run, e.g. switchboard_requests_in_flight (env BENCH_SCRAPE).")
    String scrape;

    @Option(
            names = "--scrape-url",
            description = "Metrics URL for --scrape (env BENCH_SCRAPE_URL; default <target origin>/metrics).")
    String scrapeUrl;

    @Option(
            names = "--event-loops",
            defaultValue = "0",
            description = "Client I/O threads (env BENCH_EVENT_LOOPS; default ${DEFAULT-VALUE}: one for plain http "
                    + "to one origin, as wrk -t1; else one per core).")
    String eventLoops;

    /** Exit code when no step met the thresholds, as k6 does. */
    static final int THRESHOLDS_MISSED = 99;

    /** Exit code when no request got an answer at all (e.g. every connection was refused). */
    static final int NOTHING_ANSWERED = 1;

    /** Rates as {@code 500/s}, {@code 500}, {@code 30000/m}. */
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:/(s|m))?");

    // System.console() is still null under -Djdk.console=java.base when not on a terminal.
    @SuppressWarnings("SystemConsoleNull")
    @Override
    public Integer call() throws IOException {
        BenchPlan plan = plan();
        Thresholds thresholds = new Thresholds(
                plan.sloP99(), sloErrorRate == null ? null : errorRate("--slo-error-rate", sloErrorRate));
        PrintWriter err = spec.commandLine().getErr();
        // Since JDK 22 a console exists even when output is redirected; redrawing one line needs a terminal.
        java.io.Console terminal = System.console();
        boolean console = terminal != null && terminal.isTerminal();
        BenchResult result = Bench.run(plan, line -> {
            err.print(console ? "\r" + line + "\033[K" : line + System.lineSeparator());
            err.flush();
        });
        if (console) {
            err.println();
        }
        if (thresholds.any()) {
            result = result.withVerdict(thresholds.judge(result.steps()));
        }
        PrintWriter out = spec.commandLine().getOut();
        // With --json, stdout carries only the JSON; what people read goes to stderr.
        PrintWriter people = json ? err : out;
        people.print(TerminalSummary.format(result));
        if (report != null) {
            for (Path file : Reports.write(result, report)) {
                people.println("wrote " + file);
            }
        }
        if (hgrm != null) {
            HdrFiles.write(
                    Objects.requireNonNull(
                            result.histograms().get(result.overall().name()), "a result has its overall histogram"),
                    hgrm);
            people.println("wrote " + hgrm);
        }
        if (json) {
            out.println(new JsonReport().json(result));
        }
        out.flush();
        err.flush();
        return exitCode(result);
    }

    /** 1 when nothing was answered (a refused connection is not an answer), 99 when thresholds were missed. */
    static int exitCode(BenchResult result) {
        if (result.overall().latency().count() == 0) {
            return NOTHING_ANSWERED;
        }
        return result.verdict() != null && !result.verdict().passed() ? THRESHOLDS_MISSED : 0;
    }

    /** The plan the options describe; throws IllegalArgumentException naming the option on bad input. */
    BenchPlan plan() throws IOException {
        List<Header> headerList = headers.stream().map(Header::parse).toList();
        List<RequestSpec> requests = requests(headerList);
        LoadModel load = rate == null
                ? new LoadModel.Closed(concurrencySteps())
                : new LoadModel.Open(rateSteps(rate), positiveInt("--connections", connections));
        int loops = nonNegativeInt("--event-loops", eventLoops);
        boolean autoWarmup = "auto".equalsIgnoreCase(warmup.trim());
        BenchPlan plan = new BenchPlan(
                requests,
                load,
                duration("--duration", duration),
                nonNegativeLong("--requests-count", requestsCount),
                autoWarmup || "0".equals(warmup.trim()) ? Duration.ZERO : duration("--warmup", warmup),
                duration("--timeout", timeout),
                sloP99 == null ? null : duration("--slo-p99", sloP99),
                scrapeSpec(requests.getFirst().uri()),
                loops == 0 ? StepRunner.defaultLoops(requests) : loops);
        return autoWarmup ? plan.withAutoWarmup() : plan;
    }

    private List<RequestSpec> requests(List<Header> headerList) throws IOException {
        if (requestsFile != null) {
            if (url != null || body != null || bodyFile != null) {
                throw new IllegalArgumentException(
                        "--requests FILE replaces URL, --body and --body-file; give one or the other");
            }
            if (!Files.isRegularFile(requestsFile)) {
                throw new IllegalArgumentException("--requests: file " + requestsFile + " does not exist");
            }
            List<RequestSpec> requests = Files.readAllLines(requestsFile).stream()
                    .filter(line -> !line.isBlank() && !line.trim().startsWith("#"))
                    .map(line -> RequestSpec.parseLine(line, headerList))
                    .toList();
            if (requests.isEmpty()) {
                throw new IllegalArgumentException("--requests: file " + requestsFile + " has no request lines");
            }
            return requests;
        }
        if (url == null) {
            throw new IllegalArgumentException("a target URL (or --requests FILE) is required");
        }
        if (body != null && bodyFile != null) {
            throw new IllegalArgumentException("give --body or --body-file, not both");
        }
        byte[] payload = body != null ? body.getBytes(java.nio.charset.StandardCharsets.UTF_8) : new byte[0];
        if (bodyFile != null) {
            if (!Files.isRegularFile(bodyFile)) {
                throw new IllegalArgumentException("--body-file: file " + bodyFile + " does not exist");
            }
            payload = Files.readAllBytes(bodyFile);
        }
        return List.of(new RequestSpec(method, RequestSpec.parseUri(url), headerList, payload));
    }

    private List<Integer> concurrencySteps() {
        return Arrays.stream(concurrency.split(","))
                .map(String::trim)
                .map(step -> positiveInt("--concurrency", step))
                .toList();
    }

    private @Nullable ScrapeSpec scrapeSpec(URI target) {
        if (scrape == null) {
            if (scrapeUrl != null) {
                throw new IllegalArgumentException("--scrape-url needs --scrape NAME[,NAME...]");
            }
            return null;
        }
        URI metrics = scrapeUrl != null
                ? RequestSpec.parseUri(scrapeUrl)
                : URI.create(target.getScheme() + "://" + target.getRawAuthority() + "/metrics");
        List<String> names = Arrays.stream(scrape.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        return new ScrapeSpec(metrics, names, ScrapeSpec.DEFAULT_INTERVAL);
    }

    static List<Double> rateSteps(String text) {
        return Arrays.stream(text.split(",")).map(BenchCommand::rate).toList();
    }

    /** {@code 1%}, {@code 0.5%} or {@code 0.01}. */
    static double errorRate(String option, String text) {
        String trimmed = text.trim();
        try {
            double value = trimmed.endsWith("%")
                    ? Double.parseDouble(
                                    trimmed.substring(0, trimmed.length() - 1).trim())
                            / 100
                    : Double.parseDouble(trimmed);
            if (value >= 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(
                option + ": '" + text + "' is not a share from 0 to 1 (examples: 1%, 0.5%, 0.01)");
    }

    static double rate(String text) {
        Matcher m = RATE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--rate: '" + text + "' is not a rate (examples: 500/s, 500, 30000/m)");
        }
        double value = Double.parseDouble(m.group(1));
        return "m".equals(m.group(2)) ? value / 60.0 : value;
    }

    private static Duration duration(String option, String text) {
        try {
            return new DurationConverter().convert(text);
        } catch (TypeConversionException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    private static int positiveInt(String option, String text) {
        long value = nonNegativeLong(option, text);
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " must be a positive whole number, was '" + text + "'");
        }
        return (int) value;
    }

    private static int nonNegativeInt(String option, String text) {
        long value = nonNegativeLong(option, text);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " is too large, was '" + text + "'");
        }
        return (int) value;
    }

    private static long nonNegativeLong(String option, String text) {
        try {
            long value = Long.parseLong(text.trim());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, 0 or more, was '" + text + "'");
        }
    }
}
