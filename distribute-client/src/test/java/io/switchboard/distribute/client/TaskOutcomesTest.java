package io.switchboard.distribute.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.shipping.Point;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.distribute.client.internal.FakeWorker;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskOutcomesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ClassLoader LOADER = TaskOutcomesTest.class.getClassLoader();

    @Test
    void aJavaResultIsDeserializedAsTheApplicationsClass() throws Exception {
        String base64 = Base64.getEncoder().encodeToString(FakeWorker.serialize(new Point(3, 4)));
        JsonNode task = json("{\"id\":\"t1\",\"state\":\"SUCCEEDED\",\"result\":\"" + base64
                + "\",\"result_encoding\":\"java-serialization\",\"attempts\":2,\"worker\":\"w-2\","
                + "\"queue_wait_ms\":0.21,\"run_ms\":0.05,\"stdout\":\"hi\\n\",\"stderr\":\"\"}");

        RemoteResult<Object> result = TaskOutcomes.outcome(task, Results.java(LOADER));

        assertThat(result.value()).isEqualTo(new Point(3, 4));
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.worker()).isEqualTo("w-2");
        assertThat(result.stdout()).isEqualTo("hi\n");
        assertThat(result.queueWait().toNanos()).isEqualTo(210_000);
        assertThat(result.runTime().toNanos()).isEqualTo(50_000);
        assertThat(result.taskId()).isEqualTo("t1");
    }

    @Test
    void aNullJavaResultIsNull() throws Exception {
        String base64 = Base64.getEncoder().encodeToString(FakeWorker.serialize(null));

        assertThat(TaskOutcomes.outcome(succeeded("\"" + base64 + "\"", "java-serialization"), Results.java(LOADER))
                        .value())
                .isNull();
        assertThat(TaskOutcomes.outcome(succeeded("null", "java-serialization"), Results.java(LOADER))
                        .value())
                .isNull();
    }

    @Test
    void aJsonResultIsAJsonNodeForNamedFunctionsAndPlainJavaForShippedOnes() throws Exception {
        JsonNode task = succeeded("{\"a\":[1,2]}", "json");

        assertThat(TaskOutcomes.outcome(task, Results.json()).value().toString())
                .isEqualTo("{\"a\":[1,2]}");
        assertThat(TaskOutcomes.outcome(task, Results.java(LOADER)).value()).isEqualTo(Map.of("a", List.of(1, 2)));
    }

    @Test
    void anUndecodableResultIsADistributeException() throws Exception {
        JsonNode task = succeeded("\"bm90IGphdmE=\"", "java-serialization");

        assertThatThrownBy(() -> TaskOutcomes.outcome(task, Results.java(LOADER)))
                .isInstanceOf(DistributeException.class)
                .hasMessageStartingWith("task t1 succeeded but its result cannot be decoded: ");
    }

    @Test
    void aUserFailureRebuildsTheRemoteExceptionItsStackAndItsCauses() throws Exception {
        JsonNode task = json("{\"id\":\"t2\",\"state\":\"FAILED\",\"attempts\":1,\"worker\":\"w-1\",\"stdout\":\"\","
                + "\"stderr\":\"oops\",\"error\":{\"kind\":\"USER\",\"message\":\"the function threw\","
                + "\"exception\":{\"class\":\"java.lang.IllegalStateException\",\"message\":\"boom\","
                + "\"stack\":[{\"class\":\"com.example.App\",\"method\":\"lambda$main$0\",\"file\":\"App.java\",\"line\":12}],"
                + "\"cause\":{\"class\":\"java.io.IOException\",\"message\":\"disk\",\"stack\":[]}}}}");

        assertThatThrownBy(() -> TaskOutcomes.outcome(task, Results.java(LOADER)))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("task t2 failed (USER): the function threw");
                    assertThat(e.kind()).isEqualTo(TaskFailedException.Kind.USER);
                    assertThat(e.exitCode()).isEmpty();
                    assertThat(e.stderr()).isEqualTo("oops");
                    RemoteException remote = e.remoteException();
                    assertThat(remote.remoteClassName()).isEqualTo("java.lang.IllegalStateException");
                    assertThat(remote.getMessage()).isEqualTo("boom");
                    assertThat(remote.getStackTrace())
                            .containsExactly(new StackTraceElement("com.example.App", "lambda$main$0", "App.java", 12));
                    assertThat(remote.getCause()).hasToString("java.io.IOException: disk");
                    assertThat(remote.getCause().getCause()).isNull();
                });
    }

    @Test
    void aCrashCarriesTheWorkersExitCode() throws Exception {
        JsonNode task = json("{\"id\":\"t3\",\"state\":\"FAILED\",\"attempts\":4,\"worker\":\"w-3\","
                + "\"error\":{\"kind\":\"CRASH\",\"message\":\"the worker died\",\"exit_code\":137}}");

        assertThatThrownBy(() -> TaskOutcomes.outcome(task, Results.java(LOADER)))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TaskFailedException.Kind.CRASH);
                    assertThat(e.exitCode()).hasValue(137);
                    assertThat(e.attempts()).isEqualTo(4);
                    assertThat(e.getCause()).isNull();
                });
    }

    @Test
    void aCancelledTaskFailsAsCancelledAndAnUnknownKindAsInvalid() throws Exception {
        JsonNode cancelled = json(
                "{\"id\":\"t4\",\"state\":\"CANCELLED\",\"error\":{\"kind\":\"CANCELLED\",\"message\":\"by request\"}}");
        JsonNode unknown =
                json("{\"id\":\"t5\",\"state\":\"FAILED\",\"error\":{\"kind\":\"EATEN\",\"message\":\"by a grue\"}}");

        assertThatThrownBy(() -> TaskOutcomes.outcome(cancelled, Results.json()))
                .isInstanceOfSatisfying(
                        TaskFailedException.class,
                        e -> assertThat(e.kind()).isEqualTo(TaskFailedException.Kind.CANCELLED));
        assertThatThrownBy(() -> TaskOutcomes.outcome(unknown, Results.json()))
                .isInstanceOfSatisfying(
                        TaskFailedException.class,
                        e -> assertThat(e.kind()).isEqualTo(TaskFailedException.Kind.INVALID))
                .hasMessage("task t5 failed (INVALID): by a grue");
    }

    private static JsonNode succeeded(String result, String encoding) throws Exception {
        return json("{\"id\":\"t1\",\"state\":\"SUCCEEDED\",\"result\":" + result + ",\"result_encoding\":\"" + encoding
                + "\"}");
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
