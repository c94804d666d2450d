package io.switchboard.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.switchboard.app.start.Switchboard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of the Grafana dashboard ({@code deploy/grafana/dashboards/switchboard.json}) and
 * every recording rule ({@code deploy/prometheus/switchboard.rules.yml}) run against a real
 * Prometheus (Debian's {@code prometheus}) scraping a full {@code serve} under load: each parses and
 * returns data. Skipped (saying so) where {@code prometheus} is missing, failing instead in CI.
 */
class PrometheusPanelsTest {

    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();

    private static final String EYE_KEY = "panels-test-key-0123456789abcdef";

    /** How long the queries get to return data: a few scrapes at one per second, on a busy machine. */
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void everyPanelQueryAndRecordingRuleReturnsDataFromARealPrometheus() throws Exception {
        requirePrometheus();
        Map<String, String> queries = panelQueries();
        queries.putAll(recordingRules());
        assertThat(queries).hasSizeGreaterThan(10);

        Switchboard.Running running = ServeLoad.startEverything(dir.resolve("data"), EYE_KEY);
        ServeLoad load = new ServeLoad("http://127.0.0.1:" + running.port(), EYE_KEY);
        int prometheusPort = freePort();
        Process prometheus = startPrometheus(running.port(), prometheusPort);
        try {
            load.start();
            String base = "http://127.0.0.1:" + prometheusPort;
            Map<String, String> failing = new LinkedHashMap<>(queries);
            try {
                // Polls once a scrape interval until every query has data (or Prometheus died).
                Awaitility.await()
                        .atMost(DEADLINE)
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> {
                            failing.entrySet().removeIf(query -> returnsData(base, query.getValue()));
                            return failing.isEmpty() || !prometheus.isAlive();
                        });
            } catch (ConditionTimeoutException stillFailing) {
                // The assertions below name the queries that never returned data.
            }

            assertThat(prometheus.isAlive())
                    .as("prometheus still running; its output: %s", Files.readString(dir.resolve("prometheus.log")))
                    .isTrue();
            assertThat(failing)
                    .as("queries that returned no data within %s", DEADLINE)
                    .isEmpty();
        } finally {
            load.stop();
            prometheus.destroy();
            prometheus.waitFor(30, TimeUnit.SECONDS);
            running.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    /** Panel title (and target) → PromQL of every target of the Grafana dashboard. */
    private static Map<String, String> panelQueries() throws IOException {
        JsonObject dashboard = new JsonObject(Files.readString(DEPLOY.resolve("grafana/dashboards/switchboard.json")));
        Map<String, String> queries = new LinkedHashMap<>();
        for (Object p : dashboard.getJsonArray("panels")) {
            JsonObject panel = (JsonObject) p;
            for (Object t : panel.getJsonArray("targets")) {
                JsonObject target = (JsonObject) t;
                queries.put(panel.getString("title") + " / " + target.getString("refId"), target.getString("expr"));
            }
        }
        return queries;
    }

    /** The recorded series' names: evaluated by the Prometheus under test, they must return data too. */
    private static Map<String, String> recordingRules() throws IOException {
        Map<String, String> rules = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DEPLOY.resolve("prometheus/switchboard.rules.yml"))) {
            String trimmed = line.strip();
            if (trimmed.startsWith("- record: ")) {
                String name = trimmed.substring("- record: ".length());
                rules.put("recording rule " + name, name);
            }
        }
        return rules;
    }

    private Process startPrometheus(int servePort, int prometheusPort) throws IOException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: switchboard
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(DEPLOY.resolve("prometheus/switchboard.rules.yml"), servePort));
        return new ProcessBuilder(
                        "prometheus",
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("tsdb"),
                        "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
    }

    /** True when the instant query parses and answers at least one series; false while not yet. */
    private boolean returnsData(String base, String query) {
        try {
            HttpResponse<String> answer = client.send(
                    HttpRequest.newBuilder(URI.create(
                                    base + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 400) {
                throw new AssertionError("query does not parse: " + query + "\n" + answer.body());
            }
            if (answer.statusCode() != 200) {
                return false;
            }
            JsonArray result =
                    new JsonObject(answer.body()).getJsonObject("data").getJsonArray("result");
            return !result.isEmpty();
        } catch (IOException e) {
            return false; // Prometheus is still starting
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void requirePrometheus() {
        boolean present;
        try {
            Process process = new ProcessBuilder("prometheus", "--version")
                    .redirectErrorStream(true)
                    .start();
            process.getInputStream().readAllBytes();
            present = process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        if (!present && Boolean.parseBoolean(System.getenv("SWITCHBOARD_REQUIRE_SERVICES"))) {
            throw new IllegalStateException(
                    "prometheus is required (SWITCHBOARD_REQUIRE_SERVICES=true) but is not on the PATH");
        }
        assumeTrue(present, "SKIPPED: prometheus (Debian package) is not installed");
    }
}
