package io.switchboard.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/prometheus}: the configuration and rule files are valid for {@code promtool}, and
 * the unit tests of every alert pass. Needs Debian's {@code prometheus} package (for {@code
 * promtool}): skipped (saying so) where it is missing, failing instead in CI
 * ({@code SWITCHBOARD_REQUIRE_SERVICES=true}).
 */
class PrometheusRulesTest {

    private static final Path DIR =
            Path.of("..", "deploy", "prometheus").toAbsolutePath().normalize();

    /** What a promtool run printed and how it ended. */
    private record Run(int exitCode, String output) {}

    @BeforeAll
    static void requirePromtool() {
        boolean present = run("promtool", "--version").exitCode() == 0;
        if (!present && Boolean.parseBoolean(System.getenv("SWITCHBOARD_REQUIRE_SERVICES"))) {
            throw new IllegalStateException(
                    "promtool is required (SWITCHBOARD_REQUIRE_SERVICES=true) but is not on the PATH");
        }
        assumeTrue(present, "SKIPPED: promtool (Debian package prometheus) is not installed");
    }

    @Test
    void theConfigurationAndItsRuleFilesAreValid() {
        Run config = run("promtool", "check", "config", "prometheus.yml");

        assertThat(config.exitCode()).as(config.output()).isZero();
        assertThat(config.output()).contains("2 rule files found");
    }

    @Test
    void theRuleFilesAreValid() {
        Run rules = run("promtool", "check", "rules", "switchboard.rules.yml", "switchboard.alerts.yml");

        assertThat(rules.exitCode()).as(rules.output()).isZero();
    }

    @Test
    void everyAlertHasAUnitTestAndTheyPass() throws IOException {
        Run tests = run("promtool", "test", "rules", "switchboard.alerts.test.yml");

        assertThat(tests.exitCode()).as(tests.output()).isZero();
        String alerts = Files.readString(DIR.resolve("switchboard.alerts.yml"));
        String unitTests = Files.readString(DIR.resolve("switchboard.alerts.test.yml"));
        for (String line : alerts.lines().toList()) {
            if (line.strip().startsWith("- alert: ")) {
                String alert = line.strip().substring("- alert: ".length());
                assertThat(unitTests).as("a unit test of " + alert).contains("alertname: " + alert);
            }
        }
    }

    private static Run run(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command))
                    .directory(DIR.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Run(-1, output + "\n(timed out)");
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            return new Run(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, "interrupted");
        }
    }
}
