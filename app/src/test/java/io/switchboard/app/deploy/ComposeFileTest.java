package io.switchboard.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.switchboard.app.serve.ServeCommand;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code deploy/compose.yaml} is wired as its services are named: Switchboard's environment names
 * options {@code serve} reads and points them at the compose services, Prometheus scrapes the
 * Switchboard service's port, Grafana reads the Prometheus service. No registry is reachable here,
 * so the file is not started; this checks what a typo would break.
 */
class ComposeFileTest {

    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @Test
    void switchboardIsWiredToTheServicesOfTheFile() throws IOException {
        JsonNode services =
                yaml.readTree(DEPLOY.resolve("compose.yaml").toFile()).get("services");
        Map<String, String> environment = environment(services.get("switchboard"));

        assertThat(services.fieldNames())
                .toIterable()
                .contains("switchboard", "postgres", "redis", "nats", "prometheus", "grafana");
        assertThat(host(environment.get("EYE_DATABASE").substring("jdbc:".length())))
                .isEqualTo("postgres");
        assertThat(host(environment.get("RELAY_CACHE"))).isEqualTo("redis");
        assertThat(host(environment.get("DISTRIBUTE_QUEUE"))).isEqualTo("nats");
        assertThat(services.get("switchboard").get("ports").get(0).asText()).endsWith(":8080");
    }

    @Test
    void everyVariableGivenToSwitchboardIsOneServeReads() throws IOException {
        JsonNode services =
                yaml.readTree(DEPLOY.resolve("compose.yaml").toFile()).get("services");
        // Descriptions wrap anywhere, "(env" and the name included: compare with spaces folded.
        String usage = new CommandLine(new ServeCommand())
                .getUsageMessage(CommandLine.Help.Ansi.OFF)
                .replaceAll("\\s+", " ");

        assertThat(environment(services.get("switchboard")).keySet())
                .isNotEmpty()
                .allSatisfy(name -> assertThat(usage.contains("(env " + name + ";"))
                        .as("serve reads %s", name)
                        .isTrue());
    }

    @Test
    void prometheusScrapesTheSwitchboardServiceAndGrafanaReadsPrometheus() throws IOException {
        JsonNode prometheus =
                yaml.readTree(DEPLOY.resolve("prometheus/prometheus.yml").toFile());
        JsonNode datasources = yaml.readTree(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml")
                .toFile());

        assertThat(prometheus.at("/scrape_configs/0/static_configs/0/targets/0").asText())
                .isEqualTo("switchboard:8080");
        assertThat(host(datasources.at("/datasources/0/url").asText())).isEqualTo("prometheus");
    }

    /** NAME=value entries, and NAME alone (passed through from the caller's environment) as "". */
    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode entry : service.get("environment")) {
            String text = entry.asText();
            int equals = text.indexOf('=');
            environment.put(
                    equals < 0 ? text : text.substring(0, equals), equals < 0 ? "" : text.substring(equals + 1));
        }
        return environment;
    }

    /** The host of a URL; its query is left out (it holds compose's ${...} substitutions). */
    private static String host(String url) {
        int query = url.indexOf('?');
        return URI.create(query < 0 ? url : url.substring(0, query)).getHost();
    }
}
