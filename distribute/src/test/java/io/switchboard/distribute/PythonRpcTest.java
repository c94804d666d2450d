package io.switchboard.distribute;

import static io.switchboard.distribute.DistributeHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.distribute.supervise.PythonCommand;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's {@code POST /rpc} on real Python worker processes (Debian's python3 with cloudpickle).
 * Payloads are pickled by a real python3, as the seed's client does.
 */
class PythonRpcTest {

    @TempDir
    static Path dir;

    private static DistributeHarness harness;
    private static PythonCommand python;

    @BeforeAll
    static void start() {
        Optional<PythonCommand> found = PythonCommand.find(null, dir);
        if (found.isEmpty() && Boolean.parseBoolean(System.getenv("SWITCHBOARD_REQUIRE_SERVICES"))) {
            throw new IllegalStateException("python3 with cloudpickle is required (SWITCHBOARD_REQUIRE_SERVICES=true)");
        }
        assumeTrue(found.isPresent(), "SKIPPED: no python3 with cloudpickle (apt-get install python3-cloudpickle)");
        python = found.get();
        harness = DistributeHarness.start(DistributeHarness.config(0).withPython(2, python));
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    /** The seed's request body for {@code source}'s function {@code f}, pickled by python3. */
    private static String rpcBody(String source, String args) throws Exception {
        Path script = dir.resolve("pickle_it.py");
        Files.writeString(
                script,
                "import cloudpickle, json, sys\n" + source + "\n"
                        + "fn = json.dumps(cloudpickle.dumps(f).decode('latin-1'))\n"
                        + "print(json.dumps({'method': 'rpc', 'params': {'name': 'f', 'args': " + args
                        + ", 'kwargs': {}, 'function': fn}}))\n");
        Process process = new ProcessBuilder(python.python(), script.toString()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor())
                .as(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        return out.strip();
    }

    private static HttpResponse<String> rpc(String body) {
        return harness.platform.send("POST", "/rpc", body, "Content-Type", "application/json");
    }

    @Test
    void theSeedsExampleRunsOnAPythonWorker() throws Exception {
        HttpResponse<String> response = rpc(rpcBody("def f(x):\n    print('squaring', x)\n    return x * x", "[2]"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json(response);
        assertThat(answer.get("result").asInt()).isEqualTo(4);
        assertThat(answer.get("workers").asInt()).isEqualTo(2);
        assertThat(answer.has("queued_tasks")).isTrue();
        assertThat(answer.get("stdout").asText()).isEqualTo("squaring 2\n");
    }

    @Test
    void aMissingParameterIsTheSeedsError() {
        HttpResponse<String> response =
                rpc("{\"method\": \"rpc\", \"params\": {\"name\": \"f\", \"args\": [], " + "\"kwargs\": {}}}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response);
        assertThat(error.get("message").asText()).isEqualTo("Invalid request");
        assertThat(error.get("code").asInt()).isEqualTo(400);
        assertThat(error.get("data").asText()).isEqualTo("missing parameter function");
    }

    @Test
    void aRaisingFunctionComesBackWithItsExceptionClass() throws Exception {
        HttpResponse<String> response = rpc(rpcBody("def f(x):\n    return x / 0", "[1]"));

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode data = json(response).get("data");
        assertThat(data.get("kind").asText()).isEqualTo("USER");
        assertThat(data.get("exception").get("class").asText()).isEqualTo("builtins.ZeroDivisionError");
    }

    @Test
    void aResultThatIsNotJsonIsAClearError() throws Exception {
        HttpResponse<String> response = rpc(rpcBody("def f(x):\n    return {1, 2}", "[1]"));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(json(response).get("data").get("message").asText()).contains("not JSON-serialisable");
    }

    @Test
    void aCrashingPythonWorkerIsReplacedAndTheTaskFailsWithCrash() throws Exception {
        HttpResponse<String> response = rpc(rpcBody("import os\ndef f(x):\n    os._exit(7)", "[1]"));

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode data = json(response).get("data");
        assertThat(data.get("kind").asText()).isEqualTo("CRASH");
        assertThat(data.get("message").asText()).contains("exited with code 7");
        harness.awaitIdleWorkers(2);
    }

    @Test
    void thePythonClientPackagePassesItsTestsAgainstThisServer() throws Exception {
        Path client = Path.of("..", "clients", "python").toAbsolutePath().normalize();
        ProcessBuilder builder = new ProcessBuilder(python.python(), "-m", "unittest", "discover", "-v", "-s", "tests")
                .directory(client.toFile())
                .redirectErrorStream(true);
        builder.environment().put("SWITCHBOARD_URL", "http://127.0.0.1:" + harness.platform.port());
        builder.environment().put("PYTHONPATH", client.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor()).as(output).isZero();
        assertThat(output).contains("Ran 4 tests").doesNotContain("skipped");
    }

    @Test
    void aClientOnAnotherPythonVersionIsToldSo() {
        HttpResponse<String> response = rpc("{\"method\": \"rpc\", \"params\": {\"name\": \"f\", \"args\": [], "
                + "\"kwargs\": {}, \"function\": \"x\", \"python_version\": \"2.7\"}}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("data").asText()).contains("cloudpickle needs the same version");
    }
}
