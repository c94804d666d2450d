package io.switchboard.distribute;

import static io.switchboard.distribute.DistributeHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.distribute.dispatch.WorkerState;
import io.switchboard.distribute.dispatch.WorkerView;
import io.switchboard.distribute.testfunctions.Tasks;
import io.switchboard.platform.ServerConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API end to end, on two real worker processes shared by the tests of this class. */
class DistributeServiceTest {

    private static DistributeHarness harness;

    @BeforeAll
    static void start() {
        harness = DistributeHarness.start(DistributeHarness.config(2));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void builtinEchoRunsOnAWorkerAndAnswersWithinTheWait() {
        HttpResponse<String> response = harness.submit("{\"function\": \"echo\", \"args\": [{\"n\": 42}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).startsWith("/distribute/tasks/"));
        JsonNode task = json(response);
        assertThat(task.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(task.get("result").get("n").asInt()).isEqualTo(42);
        assertThat(task.get("result_encoding").asText()).isEqualTo("json");
        assertThat(task.get("worker").asText()).matches("(serve-.*/)?w-[12]");
        assertThat(task.get("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void withoutWaitTheSubmissionAnswers202AndTheTaskCanBeReadLater() {
        HttpResponse<String> response = harness.post("", "{\"function\": \"sleep\", \"args\": [200]}");

        assertThat(response.statusCode()).isEqualTo(202);
        String id = json(response).get("id").asText();
        JsonNode ended = json(harness.platform.get("/distribute/tasks/" + id + "?wait=10s"));
        assertThat(ended.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(ended.get("result").asInt()).isEqualTo(200);
        assertThat(ended.get("run_ms").asDouble()).isGreaterThanOrEqualTo(200.0);
    }

    @Test
    void aUserExceptionFailsTheTaskAtOnceWithTheRemoteClassAndMessage() {
        JsonNode task = json(harness.submit("{\"function\": \"fail\", \"args\": [\"boom\"]}"));

        assertThat(task.get("state").asText()).isEqualTo("FAILED");
        assertThat(task.get("attempts").asInt()).isEqualTo(1);
        JsonNode error = task.get("error");
        assertThat(error.get("kind").asText()).isEqualTo("USER");
        assertThat(error.get("exception").get("class").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.get("exception").get("message").asText()).isEqualTo("boom");
    }

    @Test
    void aDeployedStaticMethodIsShippedToTheWorkerAndCalledWithJsonArguments() {
        String bundle = harness.deploy(Tasks.class);

        JsonNode task = json(harness.submit("{\"function\": \"" + Tasks.class.getName() + "::square\", \"bundle\": \""
                + bundle + "\", \"args\": [12]}"));

        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("SUCCEEDED");
        assertThat(task.get("result").asInt()).isEqualTo(144);
    }

    @Test
    void whatTheFunctionPrintsComesBackWithTheResult() {
        String bundle = harness.deploy(Tasks.class);

        JsonNode task = json(harness.submit("{\"function\": \"" + Tasks.class.getName() + "::chatty\", \"bundle\": \""
                + bundle + "\", \"args\": [\"hello\"]}"));

        assertThat(task.get("stdout").asText()).isEqualTo("hello\n");
        assertThat(task.get("stderr").asText()).isEqualTo("err:hello\n");
    }

    @Test
    void aBusyWorkerGetsNoTaskWhileAnotherIsIdle() {
        HttpResponse<String> slow = harness.post("", "{\"function\": \"sleep\", \"args\": [3000]}");
        String slowId = json(slow).get("id").asText();
        await().until(() -> "RUNNING"
                .equals(harness.get("/distribute/tasks/" + slowId).get("state").asText()));
        String slowWorker =
                harness.get("/distribute/tasks/" + slowId).get("worker").asText();

        for (int i = 0; i < 5; i++) {
            JsonNode quick = json(harness.submit("{\"function\": \"noop\"}"));
            assertThat(quick.get("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(quick.get("worker").asText()).isNotEqualTo(slowWorker);
        }
        assertThat(harness.get("/distribute/tasks/" + slowId).get("state").asText())
                .isEqualTo("RUNNING");
    }

    @Test
    void aTaskPastItsTimeoutFailsWithTimeoutAndItsWorkerIsReplaced() {
        long restartsBefore = totalRestarts();

        JsonNode task = json(harness.submit("{\"function\": \"sleep\", \"args\": [20000], \"timeout_ms\": 300}"));

        assertThat(task.get("state").asText()).isEqualTo("FAILED");
        assertThat(task.get("error").get("kind").asText()).isEqualTo("TIMEOUT");
        assertThat(task.get("error").get("message").asText()).contains("300 ms");
        await().atMost(Duration.ofSeconds(15)).until(() -> totalRestarts() == restartsBefore + 1);
        harness.awaitIdleWorkers(2);
    }

    @Test
    void cancellingARunningTaskKillsItsWorker() {
        String id = json(harness.post("", "{\"function\": \"sleep\", \"args\": [20000]}"))
                .get("id")
                .asText();
        await().until(() -> "RUNNING"
                .equals(harness.get("/distribute/tasks/" + id).get("state").asText()));
        long pid = pidOf(harness.get("/distribute/tasks/" + id).get("worker").asText());

        HttpResponse<String> cancelled = harness.platform.send("DELETE", "/distribute/tasks/" + id, null);

        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(json(cancelled).get("state").asText()).isEqualTo("CANCELLED");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        assertThat(harness.platform
                        .send("DELETE", "/distribute/tasks/" + id, null)
                        .statusCode())
                .isEqualTo(409);
        harness.awaitIdleWorkers(2);
    }

    @Test
    void aCrashedAttemptIsRetriedUntilItsLimitThenFailsWithCrashAndTheExitCode() {
        String bundle = harness.deploy(Tasks.class);

        JsonNode task = json(harness.post(
                "?wait=60s",
                "{\"function\": \"" + Tasks.class.getName() + "::halt\", \"bundle\": \"" + bundle
                        + "\", \"args\": [42], \"max_retries\": 2}"));

        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("FAILED");
        assertThat(task.get("attempts").asInt()).isEqualTo(3);
        assertThat(task.get("error").get("kind").asText()).isEqualTo("CRASH");
        assertThat(task.get("error").get("exit_code").asInt()).isEqualTo(42);
        assertThat(task.get("error").get("message").asText()).contains("exited with code 42");
        harness.awaitIdleWorkers(2);
    }

    @Test
    void aWorkerKilledMidTaskIsReplacedAndTheTaskSucceedsOnTheRetry() {
        String id = json(harness.post("", "{\"function\": \"sleep\", \"args\": [1500]}"))
                .get("id")
                .asText();
        await().until(() -> "RUNNING"
                .equals(harness.get("/distribute/tasks/" + id).get("state").asText()));
        long pid = pidOf(harness.get("/distribute/tasks/" + id).get("worker").asText());

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        JsonNode task = json(harness.platform.get("/distribute/tasks/" + id + "?wait=30s"));
        assertThat(task.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(task.get("attempts").asInt()).isEqualTo(2);
        harness.awaitIdleWorkers(2);
    }

    @Test
    void aWorkerThatRunsOutOfMemoryIsReplacedAndTheTaskFailsWithCrash() {
        String bundle = harness.deploy(Tasks.class);

        JsonNode task = json(harness.post(
                "?wait=60s",
                "{\"function\": \"" + Tasks.class.getName() + "::exhaustMemory\", \"bundle\": \"" + bundle
                        + "\", \"max_retries\": 0}"));

        assertThat(task.get("error").get("kind").asText()).as(task.toString()).isEqualTo("CRASH");
        assertThat(task.get("error").get("exit_code").asInt()).isEqualTo(3);
        assertThat(task.get("error").get("message").asText()).contains("ran out of memory");
        harness.awaitIdleWorkers(2);
    }

    @Test
    void aPayloadOfAClassOutsideTheAllowListIsRefusedBeforeItIsInstantiated() throws Exception {
        String bundle = harness.deploy(Tasks.class);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new javax.management.ObjectName("gadget:type=NotAllowed"));
        }
        String payload = java.util.Base64.getEncoder().encodeToString(bytes.toByteArray());

        JsonNode task = json(harness.submit(
                "{\"function\": \"java\", \"bundle\": \"" + bundle + "\", \"payload\": \"" + payload + "\"}"));

        assertThat(task.get("state").asText()).isEqualTo("FAILED");
        assertThat(task.get("error").get("kind").asText()).isEqualTo("INVALID");
        assertThat(task.get("error").get("message").asText()).contains("REJECTED");
    }

    @Test
    void theWorkerListAndStatsShowAllocationThatSumsToTheCompletedTasks() {
        for (int i = 0; i < 10; i++) {
            assertThat(json(harness.submit("{\"function\": \"noop\"}"))
                            .get("state")
                            .asText())
                    .isEqualTo("SUCCEEDED");
        }
        JsonNode stats = harness.get("/distribute/stats");
        JsonNode workers = harness.get("/distribute/workers").get("workers");

        assertThat(stats.get("workers").asInt()).isEqualTo(2);
        assertThat(stats.has("queued_tasks")).isTrue();
        assertThat(stats.get("peak_queued_tasks").asInt()).isGreaterThanOrEqualTo(0);
        long perWorker = 0;
        for (JsonNode worker : workers) {
            perWorker += worker.get("tasks_completed").asLong();
            assertThat(worker.get("pid").asLong()).isPositive();
        }
        // Tasks that ended with a worker's answer: successes and user failures.
        long answered = harness.service.dispatcher().workers().stream()
                .mapToLong(WorkerView::tasksCompleted)
                .sum();
        assertThat(perWorker).isEqualTo(answered).isGreaterThanOrEqualTo(10);
        String metrics = harness.platform.get("/metrics").body();
        assertThat(metrics)
                .contains("switchboard_distribute_queue_tasks")
                .contains("switchboard_distribute_queue_peak_tasks")
                .containsPattern("switchboard_distribute_tasks_total\\{.*outcome=\"succeeded\"")
                .containsPattern("switchboard_distribute_worker_tasks_total\\{.*worker=\"w-1\"")
                .containsPattern("switchboard_distribute_worker_busy_seconds_total\\{.*worker=\"w-2\"")
                .contains("switchboard_distribute_task_queue_wait_seconds_bucket")
                .contains("switchboard_distribute_worker_restarts_total");
    }

    @Test
    void invalidSubmissionsAreProblemsNamingTheField() {
        assertProblem(harness.submit("{\"function\": \"echo\", \"argz\": []}"), 400, "argz");
        assertProblem(harness.submit("{\"function\": \"rm -rf\"}"), 400, "function");
        assertProblem(harness.submit("{\"args\": []}"), 400, "function");
        assertProblem(harness.submit("{\"function\": \"echo\", \"args\": 3}"), 400, "args");
        assertProblem(harness.submit("{\"function\": \"echo\", \"timeout_ms\": 0}"), 400, "timeout_ms");
        assertProblem(harness.submit("{\"function\": \"java\", \"payload\": \"AAAA\"}"), 400, "bundle");
        assertProblem(harness.submit("not json"), 400, "body");
        assertProblem(harness.post("?wait=2h", "{\"function\": \"noop\"}"), 400, "wait");
        String unknown = "0".repeat(64);
        assertProblem(
                harness.submit("{\"function\": \"java\", \"bundle\": \"" + unknown + "\", \"payload\": \"AAAA\"}"),
                422,
                "bundle");
        assertProblem(harness.platform.get("/distribute/tasks/nope"), 404, "id");
    }

    @Test
    void aBundleWhoseHashDoesNotMatchItsBodyIsRefused() {
        HttpResponse<String> response = harness.platform.send(harness.platform
                .request("/distribute/bundles/" + "a".repeat(64))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(DistributeHarness.jarOf(Tasks.class)))
                .build());

        assertProblem(response, 400, "body");
        assertThat(json(response).get("detail").asText()).contains("SHA-256");
    }

    static void assertProblem(HttpResponse<String> response, int status, String parameter) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).path("parameter").asText())
                .as(response.body())
                .isEqualTo(parameter);
    }

    private static long totalRestarts() {
        return harness.service.dispatcher().workers().stream()
                .mapToLong(WorkerView::restarts)
                .sum();
    }

    /** The pid of a task's worker; on JetStream the task names it node/slot. */
    private static long pidOf(String workerId) {
        String slot = workerId.substring(workerId.lastIndexOf('/') + 1);
        return harness.service.dispatcher().workers().stream()
                .filter(w -> w.id().equals(slot))
                .findFirst()
                .orElseThrow()
                .pid();
    }

    @Test
    void aFullQueueAnswers429WithRetryAfter() {
        {
            // On JetStream a running task stays in the stream until it ends, so it counts too.
            int capacity = DistributeHarness.onJetStream() ? 3 : 2;
            try (DistributeHarness small =
                    DistributeHarness.start(DistributeHarness.config(1).withQueueCapacity(capacity))) {
                small.post("", "{\"function\": \"sleep\", \"args\": [3000]}");
                await().until(() -> small.service.dispatcher().stats().runningTasks() == 1);
                assertThat(small.post("", "{\"function\": \"noop\"}").statusCode())
                        .isEqualTo(202);
                assertThat(small.post("", "{\"function\": \"noop\"}").statusCode())
                        .isEqualTo(202);

                HttpResponse<String> refused = small.post("", "{\"function\": \"noop\"}");

                assertProblem(refused, 429, "");
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(small.get("/distribute/stats")
                                .get("peak_queued_tasks")
                                .asInt())
                        .isEqualTo(2);
            }
        }
    }

    @Test
    void tokensAreRequiredWhenConfigured() {
        String token = "t0ken-with-enough-characters";
        try (DistributeHarness secured = DistributeHarness.start(
                DistributeHarness.config(1).withTokens(Set.of(token)), ServerConfig.forTests())) {
            assertProblem(secured.submit("{\"function\": \"noop\"}"), 401, "Authorization");
            assertProblem(
                    secured.submit("{\"function\": \"noop\"}", "Authorization", "Bearer wrong-token-of-some-length"),
                    401,
                    "Authorization");
            assertThat(secured.submit("{\"function\": \"noop\"}", "Authorization", "Bearer " + token)
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void aRemoteWorkerJoinsWithATokenAndItsLossRetriesItsTask() throws Exception {
        String token = "remote-worker-token-0123456789";
        try (DistributeHarness hub = DistributeHarness.start(
                DistributeHarness.config(0).withTokens(Set.of(token)), ServerConfig.forTests())) {
            ProcessBuilder builder = new ProcessBuilder(
                    DistributeHarness.workerCommand().argv("127.0.0.1", hub.service.linkPort(), "remote-1"));
            builder.environment().put("DISTRIBUTE_WORKER_TOKEN", token);
            Process remote = builder.inheritIO().start();
            try {
                hub.awaitIdleWorkers(1);
                assertThat(hub.get("/distribute/workers")
                                .get("workers")
                                .get(0)
                                .get("local")
                                .asBoolean())
                        .isFalse();
                String id = json(hub.post(
                                "",
                                "{\"function\": \"sleep\", \"args\": [20000], \"max_retries\": 0}",
                                "Authorization",
                                "Bearer " + token))
                        .get("id")
                        .asText();
                await().until(() -> hub.service.dispatcher().stats().runningTasks() == 1);

                remote.destroyForcibly();

                JsonNode task = json(
                        hub.platform.get("/distribute/tasks/" + id + "?wait=20s", "Authorization", "Bearer " + token));
                assertThat(task.get("error").get("kind").asText()).isEqualTo("CRASH");
                assertThat(task.get("error").get("message").asText()).contains("remote-1 disconnected");
                assertThat(hub.service.dispatcher().workers())
                        .singleElement()
                        .satisfies(w -> assertThat(w.state()).isEqualTo(WorkerState.STOPPED));
            } finally {
                remote.destroyForcibly();
            }
        }
    }

    @Test
    void aWorkerWithAWrongTokenIsRefused() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                DistributeHarness.workerCommand().argv("127.0.0.1", harness.service.linkPort(), "intruder"));
        builder.environment().put("DISTRIBUTE_WORKER_TOKEN", "not-the-token");
        Process intruder = builder.inheritIO().start();

        assertThat(intruder.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(harness.service.dispatcher().workers()).noneMatch(w -> w.id().equals("intruder"));
    }

    @Test
    void stoppingTheServerLeavesNoWorkerProcessBehind() {
        DistributeHarness own = DistributeHarness.start(DistributeHarness.config(2));
        List<Long> pids = new ArrayList<>(own.service.localWorkers().pids());
        assertThat(pids).hasSize(2);
        String id = json(own.post("", "{\"function\": \"sleep\", \"args\": [300]}"))
                .get("id")
                .asText();
        String queued = json(own.post("", "{\"function\": \"sleep\", \"args\": [300]}"))
                .get("id")
                .asText();
        await().until(() -> own.service.dispatcher().stats().runningTasks() >= 1);

        own.close();

        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("worker %d alive", pid)
                    .isFalse();
        }
        assertThat(own.service.dispatcher().find(id).orElseThrow().ended()).isDone();
        assertThat(own.service.dispatcher().find(queued).orElseThrow().ended()).isDone();
        assertThat(own.service.dispatcher().workers())
                .allSatisfy(w -> assertThat(w.state()).isEqualTo(WorkerState.STOPPED));
    }
}
