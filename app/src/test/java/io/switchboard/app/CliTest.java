package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The command line as a user meets it: type errors, completion, version. */
class CliTest {

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        CommandLine commandLine = Main.commandLine(args, Map.of());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Option types a word like "abc" cannot be converted to. */
    static boolean typed(OptionSpec option) {
        Class<?> type = option.type();
        return !option.usageHelp()
                && !option.versionHelp()
                && option.arity().max() > 0
                && (type == int.class
                        || type == Integer.class
                        || type == long.class
                        || type == Long.class
                        || type == double.class
                        || type == Double.class
                        || type == Duration.class
                        || type.isEnum());
    }

    @TestFactory
    List<DynamicTest> aWrongTypeForAnyOptionOfAnySubcommandIsOneLineAndAHint() {
        List<DynamicTest> tests = new ArrayList<>();
        collect(Main.commandLine(new String[0], Map.of()).getCommandSpec(), tests);
        assertThat(tests).hasSizeGreaterThan(20); // every subcommand's typed options, not a handful
        return tests;
    }

    private static void collect(CommandSpec command, List<DynamicTest> tests) {
        for (OptionSpec option : command.options()) {
            if (!typed(option)) {
                continue;
            }
            List<String> args =
                    new ArrayList<>(List.of(command.qualifiedName(" ").split(" ")));
            args.removeFirst(); // the executable's own name
            args.add(option.longestName());
            args.add("abc");
            tests.add(DynamicTest.dynamicTest(String.join(" ", args), () -> {
                Run run = run(args.toArray(String[]::new));

                assertThat(run.code()).as(run.err()).isEqualTo(2);
                List<String> lines = run.err().strip().lines().toList();
                assertThat(lines).hasSize(2);
                assertThat(lines.get(0))
                        .contains(option.longestName(), "'abc'")
                        .containsAnyOf(" is not a", "expected one of", "must be one of");
                assertThat(lines.get(1)).isEqualTo("Try '" + command.qualifiedName(" ") + " --help' for the options.");
            }));
        }
        command.subcommands().values().stream()
                .map(CommandLine::getCommandSpec)
                .distinct()
                .filter(sub -> !sub.equals(command) && !sub.name().equals("help"))
                .forEach(sub -> collect(sub, tests));
    }

    @Test
    void versionNamesTheCommitTheBuildRecorded() {
        Run run = run("--version");

        assertThat(run.code()).isZero();
        // The build writes the commit into build.properties from the checkout; tests run from a checkout.
        assertThat(run.out().lines().findFirst().orElseThrow())
                .matches("switchboard \\S+ \\(commit [0-9a-f]{7,}(-dirty)?, \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z\\)");
        assertThat(run.out()).contains("JVM: ");
    }

    @Test
    void completionForAnUnknownShellIsOneLineNamingTheChoices() {
        Run run = run("completion", "fish");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().strip().lines().findFirst().orElseThrow()).contains("SHELL", "bash", "zsh", "fish");
    }

    @Test
    void bashCompletesSubcommandsAndTheirOptions(@TempDir Path dir) throws Exception {
        Run run = run("completion", "bash");
        assertThat(run.code()).isZero();
        Path script = dir.resolve("switchboard.bash");
        Files.writeString(script, run.out());

        assertThat(complete(script, "switchboard be")).contains("bench");
        assertThat(complete(script, "switchboard bench --slo-")).contains("--slo-p99", "--slo-error-rate");
        assertThat(complete(script, "switchboard eye keys list --j")).contains("--json");
        assertThat(complete(script, "switchboard completion ")).contains("bash", "zsh");
    }

    @Test
    void theZshScriptLoadsThroughBashcompinit() {
        Run run = run("completion", "zsh");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("bashcompinit", "complete -F");
    }

    /** Asks bash, with the script sourced, what it completes {@code line} to. */
    static List<String> complete(Path script, String line) throws IOException, InterruptedException {
        String words = line.endsWith(" ") ? line + "''" : line;
        String program = "source " + script + "\n"
                + "COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}\n"
                + "COMP_WORDS=(" + words + "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "_complete_switchboard switchboard\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process bash = new ProcessBuilder("bash", "-c", program)
                .redirectErrorStream(true)
                .start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output.lines().map(String::strip).toList();
    }
}
