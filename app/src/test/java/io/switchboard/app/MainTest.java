package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.cli.LayeredDefaults;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class MainTest {

    private record Outcome(int exitCode, String out, String err) {}

    private static Outcome run(Map<String, String> env, String... args) {
        CommandLine cli = Main.commandLine(args, env);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = cli.execute(args);
        // Help text wraps at the terminal width; compare with whitespace collapsed.
        return new Outcome(
                code,
                out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " "),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheSubcommands() {
        Outcome outcome = run(Map.of(), "--help");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).contains("serve").contains("mock");
    }

    @Test
    void serveHelpListsEveryOptionWithItsEnvironmentVariableAndDefault() {
        Outcome outcome = run(Map.of(), "serve", "--help");

        assertThat(outcome.out())
                .contains("--port")
                .contains("env PORT; default 8080")
                .contains("env COMPUTE_MAX_DIGITS; default 1000000")
                .contains("env MAX_CONCURRENT_REQUESTS");
    }

    @Test
    void everyOptionDocumentsTheEnvironmentVariableItActuallyReads() {
        CommandLine cli = Main.commandLine(new String[0], Map.of());
        for (CommandLine sub : cli.getSubcommands().values()) {
            for (OptionSpec option : sub.getCommandSpec().options()) {
                if (option.usageHelp()
                        || option.versionHelp()
                        || option.longestName().equals("--config")) {
                    continue;
                }
                assertThat(String.join(" ", option.description()))
                        .as("description of %s %s", sub.getCommandName(), option.longestName())
                        .contains("env " + LayeredDefaults.environmentName(option));
            }
        }
    }

    @Test
    void anEnvironmentValueShowsAsTheEffectiveDefault() {
        Outcome outcome = run(Map.of("PORT", "9123"), "serve", "--help");

        assertThat(outcome.out()).contains("default 9123");
    }

    @Test
    void anInvalidValueIsAOneLineErrorWithExitCode2() {
        Outcome outcome = run(Map.of(), "serve", "--port", "70000");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err().strip()).isEqualTo("serve: port must be between 0 and 65535, was 70000");
    }

    @Test
    void aNonNumericValueIsAUsageError() {
        Outcome outcome = run(Map.of("COMPUTE_MAX_DIGITS", "lots"), "serve");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("--compute-max-digits").contains("lots");
    }

    @Test
    void anUnknownServiceInOnlyIsRejected() {
        Outcome outcome = run(Map.of(), "serve", "--only", "compute,nope");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("unknown service 'nope'");
    }

    // ---- issue 14, defect 10: configuration typos are refused ----

    @Test
    void anUnknownYamlKeyIsRefusedNamingItAndTheClosestKnownOne(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path config = dir.resolve("switchboard.yaml");
        java.nio.file.Files.writeString(config, "port: 0\ncompute-max-digit: 5\n");

        String[] args = {"serve", "--config", config.toString()};

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.commandLine(args, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown key 'compute-max-digit'")
                .hasMessageContaining("did you mean 'compute-max-digits'?");
    }

    @Test
    void aBadFlagValueIsOneLineNamingTheOptionNotTheWholeUsage() {
        Outcome outcome = run(Map.of(), "serve", "--port", "abc");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("--port").contains("abc");
        assertThat(outcome.err().strip().lines()).hasSizeLessThanOrEqualTo(2);
    }

    // ---- issue 14, defect 11 (CLI part) ----

    @Test
    void noSubcommandIsAUsageErrorExitingTwo() {
        Outcome outcome = run(Map.of());

        assertThat(outcome.exitCode()).isEqualTo(2);
    }

    @Test
    void anUnknownSubcommandIsNamedWithoutAFarFetchedSuggestion() {
        Outcome outcome = run(Map.of(), "nosuch");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("nosuch").doesNotContain("lunch");
    }
}
