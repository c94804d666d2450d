package io.switchboard.app.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.distribute.DistributeConfig;
import io.switchboard.distribute.DistributeService;
import io.switchboard.distribute.jetstream.JetStreamLink;
import io.switchboard.distribute.supervise.WorkerCommand;
import io.switchboard.platform.testing.ExternalServices;
import io.switchboard.platform.testing.RunningPlatform;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switchboard worker --connect nats://…} as a real process: a {@code serve} with no workers
 * of its own accepts tasks into JetStream, worker nodes on "other machines" run them, and a node
 * killed with SIGKILL mid-task loses nothing: JetStream gives the task to the next node.
 */
class WorkerNodeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String queue;
    private RunningPlatform serve;
    private final List<Process> nodes = new ArrayList<>();

    @BeforeEach
    void start() {
        ExternalServices.requireNats();
        queue = ExternalServices.NATS_URL + "/t" + UUID.randomUUID().toString().substring(0, 8);
        serve = RunningPlatform.start(new DistributeService(
                DistributeConfig.forTests(0, WorkerCommand.sameJvm("96m")).withQueue(queue)));
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        nodes.forEach(Process::destroyForcibly);
        if (serve != null) {
            serve.close();
        }
        if (queue != null) {
            JetStreamLink.deleteNamespace(queue);
        }
    }

    @Test
    void aNodeRunsTasksAcceptedByServeAndAKilledNodesTaskRunsOnTheNext() throws Exception {
        Process first = node("node-a");
        awaitIdleWorker("node-a/");

        JsonNode echoed = json(submit("{\"function\":\"echo\",\"args\":[42]}", "20s"));
        assertThat(echoed.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(echoed.path("result").asInt()).isEqualTo(42);
        assertThat(echoed.path("worker").asText()).isEqualTo("node-a/w-1");

        String id = json(submit("{\"function\":\"sleep\",\"args\":[3000],\"max_retries\":2}", "0s"))
                .path("id")
                .asText();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> task(id).path("state").asText().equals("RUNNING"));
        assertThat(task(id).path("worker").asText()).isEqualTo("node-a/w-1");

        first.destroyForcibly().waitFor();
        node("node-b");

        // node-a never acks: after the ack wait JetStream redelivers to node-b, as attempt 2.
        JsonNode ended = json(serve.get("/distribute/tasks/" + id + "?wait=40s"));
        assertThat(ended.path("state").asText()).as(ended.toString()).isEqualTo("SUCCEEDED");
        assertThat(ended.path("attempts").asInt()).isEqualTo(2);
        assertThat(ended.path("worker").asText()).isEqualTo("node-b/w-1");
        JsonNode workers = json(serve.get("/distribute/workers")).path("workers");
        assertThat(StreamSupport.stream(workers.spliterator(), false)
                        .map(w -> w.path("id").asText()))
                .contains("node-b/w-1")
                .noneMatch(w -> w.startsWith("node-a/"));
    }

    private Process node(String name) throws IOException {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        Process process = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        classPath,
                        "io.switchboard.app.Main",
                        "worker",
                        "--connect",
                        queue,
                        "--workers",
                        "1",
                        "--worker-heap",
                        "96m",
                        "--id",
                        name)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
        nodes.add(process);
        return process;
    }

    private void awaitIdleWorker(String prefix) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode workers = json(serve.get("/distribute/workers")).path("workers");
            return StreamSupport.stream(workers.spliterator(), false)
                    .anyMatch(w -> w.path("id").asText().startsWith(prefix)
                            && w.path("state").asText().equals("IDLE"));
        });
    }

    private HttpResponse<String> submit(String body, String wait) {
        return serve.send(serve.request("/distribute/tasks?wait=" + wait)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private JsonNode task(String id) {
        return json(serve.get("/distribute/tasks/" + id));
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(response.statusCode() + " " + response.body(), e);
        }
    }
}
