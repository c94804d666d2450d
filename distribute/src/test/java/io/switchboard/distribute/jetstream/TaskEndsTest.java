package io.switchboard.distribute.jetstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.switchboard.distribute.dispatch.TaskState;
import io.switchboard.distribute.dispatch.TaskView;
import io.switchboard.platform.testing.ExternalServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two processes' {@link TaskEnds} on one NATS server, each on its own connection: ends reach
 * waiters in the announcing process directly and in the others through NATS, and announcements
 * are read only for tasks someone waits for.
 */
class TaskEndsTest {

    private static final Duration DELIVERY = Duration.ofSeconds(10);

    private final String subject = "test.ended." + UUID.randomUUID();
    private Connection here;
    private Connection there;
    private TaskEnds listener;
    private TaskEnds announcer;

    @BeforeEach
    void connect() throws Exception {
        ExternalServices.requireNats();
        here = Nats.connect(ExternalServices.NATS_URL);
        there = Nats.connect(ExternalServices.NATS_URL);
        listener = new TaskEnds(here, subject);
        announcer = new TaskEnds(there, subject);
        listener.listen();
        // The subscription is in place on the server once a round trip after it has come back.
        here.flush(DELIVERY);
    }

    @AfterEach
    void close() throws InterruptedException {
        if (listener != null) {
            listener.stopListening();
        }
        if (here != null) {
            here.close();
        }
        if (there != null) {
            there.close();
        }
    }

    @Test
    void anEndAnnouncedInAnotherProcessCompletesTheWaiterHere() throws Exception {
        TaskView ended = succeeded("a");
        CompletableFuture<TaskView> waiter = listener.waiter("a", new CompletableFuture<>());

        announcer.announce(ended, JetStreamQueue.json(ended));

        TaskView heard = waiter.get(DELIVERY.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(heard.id()).isEqualTo("a");
        assertThat(heard.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(heard.result()).isEqualTo(new TextNode("hello"));
        assertThat(listener.waiters()).isZero();
    }

    @Test
    void anEndInTheWaitersOwnProcessCompletesItBeforeAnythingIsSent() {
        TaskView ended = succeeded("b");
        CompletableFuture<TaskView> waiter = announcer.waiter("b", new CompletableFuture<>());

        announcer.announce(ended, JetStreamQueue.json(ended));

        // Done on return: no trip through NATS, no parsing.
        assertThat(waiter).isCompletedWithValue(ended);
    }

    @Test
    void anAnnouncementOfATaskNobodyHereWaitsForIsNotRead() {
        CompletableFuture<TaskView> waiter = listener.waiter("awaited", new CompletableFuture<>());
        Headers headers = new Headers().put(TaskEnds.TASK_HEADER, "awaited");

        // The body is not a task at all: read, it would be refused; skipped, nothing happens.
        listener.heard(message(new Headers().put(TaskEnds.TASK_HEADER, "other"), "not json"));
        assertThat(waiter).isNotDone();

        TaskView ended = succeeded("awaited");
        listener.heard(message(headers, new String(JetStreamQueue.json(ended), StandardCharsets.UTF_8)));
        assertThat(waiter).isCompleted();
    }

    @Test
    void anAnnouncementWithoutTheHeaderFromAnOlderNodeIsStillRead() throws Exception {
        CompletableFuture<TaskView> waiter = listener.waiter("c", new CompletableFuture<>());

        there.publish(subject, JetStreamQueue.json(succeeded("c")));

        assertThat(waiter.get(DELIVERY.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                        .state())
                .isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void aWaiterForgottenByItsOnlyUserIsNoLongerCompleted() {
        CompletableFuture<TaskView> waiter = listener.waiter("d", new CompletableFuture<>());
        listener.forget("d", waiter);

        listener.complete(succeeded("d"));

        assertThat(waiter).isNotDone();
        assertThat(listener.waiters()).isZero();
    }

    private NatsMessage message(Headers headers, String body) {
        return NatsMessage.builder()
                .subject(subject)
                .headers(headers)
                .data(body.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private static TaskView succeeded(String id) {
        return new TaskView(
                id,
                TaskState.SUCCEEDED,
                "echo",
                1,
                "node/w-1",
                Instant.parse("2026-12-03T08:00:00Z"),
                1_000,
                2_000,
                new TextNode("hello"),
                null,
                "",
                "",
                null);
    }
}
