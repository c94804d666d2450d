package io.switchboard.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.switchboard.app.start.Switchboard;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a full {@code serve}, after traffic on every service, passes {@code promtool
 * check metrics} (Debian's {@code prometheus} package) without a single warning, names every
 * Switchboard family under {@code switchboard_}, and keeps label values bounded whatever paths and
 * methods clients send. Skipped (saying so) where {@code promtool} is missing, failing instead in
 * CI ({@code SWITCHBOARD_REQUIRE_SERVICES=true}).
 */
class MetricsPromtoolTest {

    private static final String EYE_KEY = "promtool-test-key-0123456789abcdef";

    /** Series that show every service has served: compute, fan-out, relay, eye and distribute. */
    private static final List<String> EVERY_SERVICE = List.of(
            "route=\"/fibonacci/:n\"",
            "route=\"/api/smart\"",
            "switchboard_relay_cache_total{",
            "route=\"/events\",status=\"202\"",
            "switchboard_distribute_tasks_total{");

    /** Name prefixes of the runtime's families, which keep their customary names. */
    private static final List<String> RUNTIME = List.of("jvm_", "process_", "system_");

    private static final Pattern FAMILY = Pattern.compile("^# TYPE (\\S+) ", Pattern.MULTILINE);
    private static final Pattern ROUTE = Pattern.compile("route=\"([^\"]*)\"");
    private static final Pattern METHOD = Pattern.compile("method=\"([^\"]*)\"");

    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void metricsOfAServeUnderLoadPassPromtoolWithoutAWarning() throws Exception {
        requirePromtool();
        Switchboard.Running running = ServeLoad.startEverything(dir.resolve("data"), EYE_KEY);
        String base = "http://127.0.0.1:" + running.port();
        ServeLoad load = new ServeLoad(base, EYE_KEY);
        String metrics;
        try {
            load.start();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> EVERY_SERVICE.stream().allMatch(scrape(base)::contains));
            for (int i = 0; i < 20; i++) {
                send(base, "GET", "/no/such/path/" + i);
                send(base, "MADEUP" + i, "/fibonacci/" + i);
            }
            metrics = scrape(base);
        } finally {
            load.stop();
            running.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }

        Run check = run(metrics, "promtool", "check", "metrics");

        assertThat(check.output()).as("promtool check metrics").isEmpty();
        assertThat(check.exitCode()).isZero();
        assertThat(families(metrics))
                .isNotEmpty()
                .allSatisfy(family -> assertThat(family.startsWith("switchboard_")
                                || RUNTIME.stream().anyMatch(family::startsWith))
                        .as("%s is under switchboard_ or a runtime family", family)
                        .isTrue())
                .contains("switchboard_build_info", "switchboard_http_server_requests_seconds");
        assertThat(labelValues(ROUTE, metrics)).noneMatch(route -> route.startsWith("/no/such"));
        assertThat(labelValues(METHOD, metrics)).contains("_OTHER").noneMatch(method -> method.startsWith("MADEUP"));
    }

    private String scrape(String base) throws IOException, InterruptedException {
        return client.send(
                        HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private void send(String base, String method, String path) throws IOException, InterruptedException {
        client.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static Set<String> families(String metrics) {
        Set<String> families = new TreeSet<>();
        Matcher matcher = FAMILY.matcher(metrics);
        while (matcher.find()) {
            families.add(matcher.group(1));
        }
        return families;
    }

    private static Set<String> labelValues(Pattern label, String metrics) {
        Set<String> values = new TreeSet<>();
        Matcher matcher = label.matcher(metrics);
        while (matcher.find()) {
            values.add(matcher.group(1));
        }
        return values;
    }

    /** What a promtool run printed and how it ended. */
    private record Run(int exitCode, String output) {}

    private static Run run(String input, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Run(-1, output + "\n(timed out)");
        }
        return new Run(process.exitValue(), output);
    }

    private static void requirePromtool() {
        boolean present;
        try {
            present = run("", "promtool", "--version").exitCode() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        if (!present && Boolean.parseBoolean(System.getenv("SWITCHBOARD_REQUIRE_SERVICES"))) {
            throw new IllegalStateException(
                    "promtool is required (SWITCHBOARD_REQUIRE_SERVICES=true) but is not on the PATH");
        }
        assumeTrue(present, "SKIPPED: promtool (Debian package prometheus) is not installed");
    }
}
