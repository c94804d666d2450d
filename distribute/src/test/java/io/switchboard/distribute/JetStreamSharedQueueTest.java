package io.switchboard.distribute;

import static io.switchboard.distribute.DistributeHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.distribute.dispatch.WorkerState;
import io.switchboard.platform.testing.ExternalServices;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two {@code serve} instances on one JetStream queue: what one accepts, the other reads, waits on
 * and cancels, and tasks wait in the stream for a node to join.
 */
class JetStreamSharedQueueTest {

    private String queue;
    private DistributeHarness front;
    private DistributeHarness back;

    @BeforeEach
    void start() {
        ExternalServices.requireNats();
        queue = JetStreamNamespaces.fresh(ExternalServices.NATS_URL);
        // The front instance has no workers of its own: every task runs on the back instance.
        front = DistributeHarness.start(DistributeHarness.config(0).withQueue(queue));
    }

    @AfterEach
    void stop() {
        if (back != null) {
            back.close();
        }
        front.close();
    }

    private void startBack() {
        back = DistributeHarness.start(DistributeHarness.config(1).withQueue(queue));
    }

    @Test
    void aTaskAcceptedBeforeAnyWorkerExistsRunsWhenANodeJoinsAndEveryInstanceAnswersForIt() {
        JsonNode accepted = json(front.post("", "{\"function\": \"echo\", \"args\": [\"hello\"]}"));
        assertThat(accepted.get("state").asText()).isEqualTo("QUEUED");
        String id = accepted.get("id").asText();

        startBack();

        JsonNode onFront = front.get("/distribute/tasks/" + id + "?wait=30s");
        assertThat(onFront.get("state").asText()).as(onFront.toString()).isEqualTo("SUCCEEDED");
        assertThat(onFront.get("result").asText()).isEqualTo("hello");
        assertThat(onFront.get("worker").asText()).endsWith("/w-1");
        JsonNode onBack = back.get("/distribute/tasks/" + id);
        assertThat(onBack.get("state").asText()).isEqualTo("SUCCEEDED");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> front.get("/distribute/workers")
                        .get("workers")
                        .toString()
                        .contains("/w-1"));
    }

    @Test
    void aTaskQueuedLongerThanTheStateRetentionStillAnswersQueuedAndRuns() {
        // A namespace whose state bucket forgets after 1 s (its first user creates it).
        front.close();
        queue = JetStreamNamespaces.fresh(ExternalServices.NATS_URL);
        front = DistributeHarness.start(
                DistributeHarness.config(0).withQueue(queue).withRetention(Duration.ofSeconds(1)));
        String id = json(front.post("", "{\"function\": \"echo\", \"args\": [\"late\"]}"))
                .get("id")
                .asText();

        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> front.get("/distribute/tasks/" + id).path("state").asText(), "QUEUED"::equals);

        startBack();
        JsonNode ended = front.get("/distribute/tasks/" + id + "?wait=30s");
        assertThat(ended.path("state").asText()).as(ended.toString()).isEqualTo("SUCCEEDED");
        assertThat(ended.get("result").asText()).isEqualTo("late");
    }

    @Test
    void aTaskCancelledWhileQueuedNeverRuns() {
        String id = json(front.post("", "{\"function\": \"echo\", \"args\": [\"never\"]}"))
                .get("id")
                .asText();
        JsonNode cancelled = json(front.platform.send("DELETE", "/distribute/tasks/" + id, null));
        assertThat(cancelled.get("state").asText()).isEqualTo("CANCELLED");

        startBack();
        // The stream hands out tasks in order: had the cancelled one stayed queued, it came first.
        JsonNode next = json(front.post("?wait=30s", "{\"function\": \"echo\", \"args\": [\"next\"]}"));
        assertThat(next.path("state").asText()).as(next.toString()).isEqualTo("SUCCEEDED");

        JsonNode onBack = back.get("/distribute/tasks/" + id);
        assertThat(onBack.get("state").asText()).isEqualTo("CANCELLED");
        assertThat(onBack.path("worker").isTextual()).as(onBack.toString()).isFalse();
        assertThat(back.service.dispatcher().workers().getFirst().tasksCompleted())
                .isEqualTo(1);
        assertThat(front.platform
                        .send("DELETE", "/distribute/tasks/" + id, null)
                        .statusCode())
                .isEqualTo(409);
    }

    @Test
    void cancellingOnOneInstanceKillsTheWorkerRunningTheTaskOnAnother() {
        startBack();
        long pid = back.service.dispatcher().workers().getFirst().pid();
        String id = json(front.post("", "{\"function\": \"sleep\", \"args\": [30000]}"))
                .get("id")
                .asText();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> front.get("/distribute/tasks/" + id)
                        .get("state")
                        .asText()
                        .equals("RUNNING"));

        JsonNode cancelled = json(front.platform.send("DELETE", "/distribute/tasks/" + id, null));

        assertThat(cancelled.get("state").asText()).isEqualTo("CANCELLED");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> back.service.dispatcher().workers().stream()
                        .anyMatch(w -> w.state() == WorkerState.IDLE && w.pid() != null && w.pid() != pid));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        assertThat(back.get("/distribute/tasks/" + id).get("state").asText()).isEqualTo("CANCELLED");
        assertThat(front.platform
                        .send("DELETE", "/distribute/tasks/" + id, null)
                        .statusCode())
                .isEqualTo(409);
    }
}
