package io.switchboard.distribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.distribute.client.Distribute;
import io.switchboard.distribute.client.RemoteResult;
import io.switchboard.distribute.client.TaskFailedException;
import io.switchboard.distribute.client.UnshippableFunctionException;
import io.switchboard.distribute.testfunctions.Functions;
import io.switchboard.distribute.testfunctions.Functions.Point;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java client against the real server and real worker processes. The workers' class path has
 * no test classes, so every function here reaches them only as shipped class bytes.
 */
class JavaClientTest {

    private static DistributeHarness harness;
    private static Distribute sb;

    @BeforeAll
    static void start() {
        harness = DistributeHarness.start(DistributeHarness.config(2));
        sb = Distribute.connect("http://127.0.0.1:" + harness.platform.port(), null);
    }

    @AfterAll
    static void stop() {
        sb.close();
        harness.close();
    }

    @Test
    void theIssuesExampleRunsALambdaOnAWorker() throws Exception {
        var square = sb.computeThis(Functions.square());

        int out = square.apply(2).run();
        CompletableFuture<Integer> f = square.apply(3).runAsync();

        assertThat(out).isEqualTo(4);
        assertThat(f.get()).isEqualTo(9);
    }

    @Test
    void capturedValuesMethodReferencesAndTheApplicationsOwnTypesTravel() {
        assertThat(sb.computeThis(Functions.plus(40)).apply(2).run()).isEqualTo(42);
        assertThat(sb.computeThis(Functions.mirror()).apply(new Point(1, 2)).run())
                .isEqualTo(new Point(2, 1));
        assertThat(sb.computeThis(Functions.repeat()).apply("ab", 3).run()).isEqualTo("ababab");
    }

    @Test
    void theFunctionRunsInAnotherProcess() {
        String where = sb.computeThis(Functions.whereAmI()).get().run();

        assertThat(where).isNotEqualTo("worker pid " + ProcessHandle.current().pid());
        assertThat(harness.service.localWorkers().pids()).contains(Long.parseLong(where.substring(11)));
    }

    @Test
    void whatTheFunctionPrintsComesBackWithTheResult() {
        RemoteResult<Integer> result =
                sb.computeThis(Functions.printing()).apply("hi").runWithOutput();

        assertThat(result.value()).isEqualTo(2);
        assertThat(result.stdout()).isEqualTo("out:hi\n");
        assertThat(result.stderr()).isEqualTo("err:hi\n");
        assertThat(result.worker()).matches("(serve-.*/)?w-[12]");
    }

    @Test
    void aUserExceptionComesBackWithTheRemoteClassMessageAndStack() {
        assertThatThrownBy(() -> sb.computeThis(Functions.failing()).apply(7).run())
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TaskFailedException.Kind.USER);
                    assertThat(e.attempts()).isEqualTo(1);
                    assertThat(e.remoteException().remoteClassName()).isEqualTo("java.lang.IllegalStateException");
                    assertThat(e.remoteException().getMessage()).contains("boom 7");
                    assertThat(e.remoteException().getStackTrace()[0].getClassName())
                            .isEqualTo(Functions.class.getName());
                    assertThat(e.remoteException().getCause().getMessage()).contains("root cause");
                });
    }

    @Test
    void aCaptureThatCannotBeShippedFailsBeforeAnythingIsSentNamingIt() throws Exception {
        long submitted = harness.service.dispatcher().stats().submitted();
        try (Socket socket = new Socket()) {
            assertThatThrownBy(() -> sb.computeThis(Functions.withSocket(socket)))
                    .isInstanceOf(UnshippableFunctionException.class)
                    .hasMessageContaining("captured value #1 (java.net.Socket)");
        }
        assertThat(harness.service.dispatcher().stats().submitted()).isEqualTo(submitted);
    }

    @Test
    void aFunctionThatExitsItsWorkerIsRetriedThenFailsWithCrash() {
        assertThatThrownBy(() -> sb.computeThis(Functions.exiting(9))
                        .apply(1)
                        .withMaxRetries(1)
                        .run())
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TaskFailedException.Kind.CRASH);
                    assertThat(e.exitCode()).hasValue(9);
                    assertThat(e.attempts()).isEqualTo(2);
                });
        harness.awaitIdleWorkers(2);
    }

    @Test
    void aTimeoutFailsTheCallWithTimeout() {
        assertThatThrownBy(() -> sb.computeThis(Functions.sleeping())
                        .apply(30_000)
                        .withTimeout(Duration.ofMillis(300))
                        .run())
                .isInstanceOfSatisfying(
                        TaskFailedException.class,
                        e -> assertThat(e.kind()).isEqualTo(TaskFailedException.Kind.TIMEOUT));
        harness.awaitIdleWorkers(2);
    }

    @Test
    void manyAsynchronousCallsAllComeBackAndSpreadOverTheWorkers() {
        var square = sb.computeThis(Functions.square());
        long before = harness.service.dispatcher().workers().stream()
                .mapToLong(w -> w.tasksCompleted())
                .sum();

        List<CompletableFuture<Integer>> calls = IntStream.range(0, 300)
                .mapToObj(i -> square.apply(i).runAsync())
                .toList();

        assertThat(calls.stream().map(CompletableFuture::join).toList())
                .isEqualTo(IntStream.range(0, 300).map(i -> i * i).boxed().toList());
        long after = harness.service.dispatcher().workers().stream()
                .mapToLong(w -> w.tasksCompleted())
                .sum();
        assertThat(after - before).isEqualTo(300);
        assertThat(harness.service.dispatcher().workers())
                .allSatisfy(w -> assertThat(w.tasksCompleted()).isPositive());
    }

    @Test
    void builtInFunctionsAreCallableByName() {
        assertThat(sb.call("echo", "hello").run().asText()).isEqualTo("hello");
    }
}
