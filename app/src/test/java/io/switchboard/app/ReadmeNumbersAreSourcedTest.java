package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The numbers the READMEs state as measured say when and how they were measured: every line with a
 * measured figure (a rate such as {@code 2,171 tasks/s}, a ratio such as {@code 1.44×}, a
 * percentile such as {@code p99 4.4 ms}) has, between the heading above it and itself, a date
 * ({@code 2026-12-02}) and the script that produced it ({@code benchmarks/relay.sh}), and that script
 * exists. The usual form is a line heading the table or paragraph: "Measured 2026-12-02 with
 * `benchmarks/relay.sh` ...". A number nobody can rerun or date then fails here rather than
 * misleading a reader long after the code it measured changed.
 */
class ReadmeNumbersAreSourcedTest {

    /** The repository root: surefire runs app's tests in {@code app/}. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** A measured figure: a rate, a ratio, or a latency percentile. */
    private static final Pattern MEASURED =
            Pattern.compile("\\d[\\d,.]*\\s*k?\\s*(?:req|requests|tasks|events|calls|ops)/s\\b"
                    + "|\\d[\\d.]*\\s*×"
                    + "|\\b(?:p50|p90|p95|p99(?:\\.9)?|median|mean)\\b[^|\\n]{0,30}?\\d[\\d.]*\\s*(?:ms|µs|us)\\b");

    /** A date, also as the start of a timestamp ({@code 2026-11-23T12:37Z}). */
    private static final Pattern DATE = Pattern.compile("\\b20\\d\\d-\\d\\d-\\d\\d(?!\\d)");

    private static final Pattern SCRIPT = Pattern.compile("benchmarks/[\\w.-]+");

    /** Code spans hold options and commands ({@code --slo-p99 200ms}), not measurements. */
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

    record Unsourced(String file, int line, String text, String why) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + why + ": " + text.strip();
        }
    }

    @Test
    void everyMeasuredNumberInTheReadmesCarriesItsDateAndAnExistingScript() throws IOException {
        List<Path> readmes = readmes();
        List<Unsourced> unsourced = new ArrayList<>();
        for (Path readme : readmes) {
            String name = ROOT.relativize(readme).toString();
            unsourced.addAll(
                    check(name, Files.readAllLines(readme), script -> Files.isRegularFile(ROOT.resolve(script))));
        }

        assertThat(readmes).as("READMEs checked").hasSizeGreaterThan(8);
        assertThat(unsourced)
                .as("measured numbers without a date and an existing script")
                .isEmpty();
    }

    @Test
    void aNumberWithoutDateOrWithAMissingScriptIsCaught() {
        Predicate<String> exists = "benchmarks/relay.sh"::equals;
        List<String> sample = List.of(
                "# relay",
                "## Measured",
                "Measured 2026-12-02 with `benchmarks/relay.sh`:",
                "| relay | 30,000 req/s | p99 1.2 ms |",
                "## Timestamped",
                "Run of 2026-11-23T12:37Z, `benchmarks/relay.sh`: 2,000 events/s.",
                "## Undated",
                "Run with `benchmarks/relay.sh` on a quiet machine: 12k requests/s.",
                "## Gone",
                "Measured 2026-11-20 with `benchmarks/old.sh`: 2.5× nginx.",
                "## Not measurements",
                "Set `--slo-p99 200ms`; the default timeout is 500 ms.",
                "```",
                "p99 4 ms in a code block is output, not prose",
                "```");

        List<Unsourced> found = check("sample/README.md", sample, exists);

        assertThat(found)
                .extracting(Unsourced::line, Unsourced::why)
                .containsExactly(tuple(8, "no date since the heading"), tuple(10, "benchmarks/old.sh does not exist"));
    }

    /** The lines of {@code lines} that state a measured number without its source. */
    static List<Unsourced> check(String file, List<String> lines, Predicate<String> scriptExists) {
        List<Unsourced> unsourced = new ArrayList<>();
        StringBuilder sinceHeading = new StringBuilder();
        boolean inCode = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (inCode) {
                continue;
            }
            if (line.startsWith("#")) {
                sinceHeading.setLength(0);
            }
            sinceHeading.append(line).append('\n');
            if (!MEASURED.matcher(CODE_SPAN.matcher(line).replaceAll("")).find()) {
                continue;
            }
            int lineNumber = i + 1;
            why(sinceHeading, scriptExists).ifPresent(why -> unsourced.add(new Unsourced(file, lineNumber, line, why)));
        }
        return unsourced;
    }

    private static Optional<String> why(CharSequence block, Predicate<String> scriptExists) {
        if (!DATE.matcher(block).find()) {
            return Optional.of("no date since the heading");
        }
        Matcher script = SCRIPT.matcher(block);
        boolean named = false;
        while (script.find()) {
            named = true;
            if (!scriptExists.test(script.group())) {
                return Optional.of(script.group() + " does not exist");
            }
        }
        return named ? Optional.empty() : Optional.of("no benchmarks/ script since the heading");
    }

    private static List<Path> readmes() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT, 2)) {
            return files.filter(file -> file.getFileName().toString().equals("README.md"))
                    .filter(file -> !file.toString().contains("/target/"))
                    .sorted()
                    .toList();
        }
    }
}
