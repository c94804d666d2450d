package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.bench.report.Reports;
import io.switchboard.bench.report.TerminalSummary;
import io.switchboard.bench.run.Bench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {

    /** The first bytes of every PNG file. */
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    void reportFilesHoldEveryStepAndTheCapacityEstimate(@TempDir Path folder) throws Exception {
        BenchResult result;
        try (TestServer server = TestServer.ok()) {
            BenchPlan plan = BenchPlan.of(RequestSpec.get(server.uri("/hello")), new LoadModel.Closed(List.of(1, 2)))
                    .withStepDuration(Duration.ofMillis(400))
                    .withSloP99(Duration.ofSeconds(5));
            result = Bench.run(plan, Progress.NONE);
        }

        List<Path> files = Reports.write(result, folder.resolve("report"));

        assertThat(files).allSatisfy(file -> assertThat(file).isNotEmptyFile());
        JsonNode json =
                new ObjectMapper().readTree(folder.resolve("report/result.json").toFile());
        assertThat(json.get("steps")).hasSize(2);
        assertThat(json.get("steps").get(0).get("name").asText()).isEqualTo("c=1");
        assertThat(json.get("steps").get(1).get("name").asText()).isEqualTo("c=2");
        assertThat(json.get("steps").get(1).get("throughput").asDouble()).isPositive();
        assertThat(json.get("steps").get(1).get("latency").get("p99.9").asDouble())
                .isPositive();
        assertThat(json.get("overall").get("errors").get("timeout").asLong()).isZero();
        assertThat(json.get("capacity").get("step").asText()).isIn("c=1", "c=2");

        String html = Files.readString(folder.resolve("report/report.html"));
        assertThat(html).contains("<td>c=1</td>", "<td>c=2</td>", "Capacity estimate");
        assertThat(html).contains("uPlot").doesNotContain("<script src=", "<link rel=\"stylesheet\"");
        assertThat(html).contains("\"name\" : \"c=2\"");

        byte[] png = Files.readAllBytes(folder.resolve("report/latency.png"));
        assertThat(png).startsWith(PNG_MAGIC);
        assertThat(png.length).isGreaterThan(5_000);

        assertThat(TerminalSummary.format(result)).contains("c=1", "c=2", "overall", "capacity: c=");

        // HdrHistogram percentile distributions in ms: one per step and the whole run.
        assertThat(files)
                .extracting(file -> file.getFileName().toString())
                .contains("latency-c_1.hgrm", "latency-c_2.hgrm", "latency-overall.hgrm");
        List<String> hgrm = Files.readAllLines(folder.resolve("report/latency-overall.hgrm"));
        assertThat(hgrm.getFirst().trim()).startsWith("Value").contains("Percentile", "TotalCount");
        assertThat(hgrm).anySatisfy(line -> assertThat(line).startsWith("#[Mean"));
        assertThat(hgrm)
                .anySatisfy(line -> assertThat(line.replaceAll("\\s+", ""))
                        .contains("Totalcount=" + result.overall().latency().count() + "]"));
        assertThat(json.get("steps").get(1).get("errorRate").asDouble()).isZero();
        assertThat(json.get("steps").get(1).get("bytesPerSecond").asDouble()).isPositive();
        assertThat(json.has("histograms")).isFalse();
    }
}
