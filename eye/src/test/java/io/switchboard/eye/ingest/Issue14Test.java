package io.switchboard.eye.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.eye.EyeConfig;
import io.switchboard.eye.EyeStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14, defect 8: closing the group-commit writer during a submit leaves no future hanging. */
class Issue14Test {

    @TempDir
    Path dir;

    @Test
    void aSubmitThatRacesCloseIsRefusedOrCompletedNeverLeftHanging() throws Exception {
        try (EyeStorage storage = EyeStorage.open(EyeConfig.embedded(dir, Map.of()), Clock.systemUTC())) {
            GroupCommitWriter writer =
                    new GroupCommitWriter(storage.dataSource(), 100, 10, stored -> {}, new SimpleMeterRegistry());
            CountDownLatch copying = new CountDownLatch(1);
            CountDownLatch closed = new CountDownLatch(1);
            // The submit is held inside its copy of the events until close has returned: the widest
            // possible gap between a submit's start and its enqueue.
            List<IncomingEvent> events = new PausingList(event("e1"), copying, closed);
            CompletableFuture<CompletableFuture<List<GroupCommitWriter.Ack>>> submitted =
                    CompletableFuture.supplyAsync(() -> writer.submit(events));

            assertThat(copying.await(10, TimeUnit.SECONDS)).isTrue();
            writer.close();
            closed.countDown();

            try {
                List<GroupCommitWriter.Ack> acks =
                        submitted.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
                assertThat(acks).extracting(GroupCommitWriter.Ack::id).containsExactly("e1");
            } catch (ExecutionException refused) {
                assertThat(refused.getCause()).isInstanceOf(RejectedExecutionException.class);
            }
            assertThat(writer.queuedEvents()).isZero();
        }
    }

    @Test
    void aSubmitAfterCloseIsRefusedAtOnce() throws Exception {
        try (EyeStorage storage = EyeStorage.open(EyeConfig.embedded(dir, Map.of()), Clock.systemUTC())) {
            GroupCommitWriter writer =
                    new GroupCommitWriter(storage.dataSource(), 100, 10, stored -> {}, new SimpleMeterRegistry());
            writer.close();

            assertThatThrownBy(() -> writer.submit(List.of(event("late"))))
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("shutting down");
        }
    }

    private static IncomingEvent event(String id) {
        return new IncomingEvent(
                id,
                "app",
                "session",
                "cat",
                "name",
                "{}",
                "2021-01-01 00:00:00",
                1_609_459_200_000_000L,
                1_609_459_200_000_000L);
    }

    /** One event; copying it signals {@code copying} and then waits for {@code release}. */
    private static final class PausingList extends AbstractList<IncomingEvent> {
        private final IncomingEvent event;
        private final CountDownLatch copying;
        private final CountDownLatch release;

        PausingList(IncomingEvent event, CountDownLatch copying, CountDownLatch release) {
            this.event = event;
            this.copying = copying;
            this.release = release;
        }

        @Override
        public IncomingEvent get(int index) {
            return event;
        }

        @Override
        public int size() {
            return 1;
        }

        @Override
        public Object[] toArray() {
            copying.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Object[] {event};
        }
    }
}
