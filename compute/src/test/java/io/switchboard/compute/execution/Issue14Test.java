package io.switchboard.compute.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, defect 2: when the pool refuses a computation, callers that joined it in the meantime
 * used to wait forever. A tight randomized harness: the pool is kept full, and several threads
 * race to submit the same key, so that some join the leader's computation between its
 * publication and its refusal. Every ticket handed out must be completed.
 */
class Issue14Test {

    /** Rounds of the race; each has a fresh key, so each round has one leader and its joiners. */
    private static final int ROUNDS = 2_000;

    /** Threads racing per round. */
    private static final int RACERS = 4;

    @Test
    void callersWhoJoinedARefusedComputationAreCompletedNotLeftWaiting() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ConcurrentLinkedQueue<Ticket> tickets = new ConcurrentLinkedQueue<>();
        ExecutorService racers = Executors.newFixedThreadPool(RACERS);
        try (ComputeExecutor<String> executor = new ComputeExecutor<>(1, 1, 1 << 20)) {
            // Fill the one thread and the one queue slot, so every new key is refused.
            executor.submit("running", cancellation -> await(release));
            executor.submit("queued", cancellation -> "queued");
            for (int round = 0; round < ROUNDS; round++) {
                String key = "k" + round;
                CyclicBarrier start = new CyclicBarrier(RACERS);
                List<Future<?>> submitted = new java.util.ArrayList<>();
                for (int r = 0; r < RACERS; r++) {
                    submitted.add(racers.submit(() -> {
                        start.await();
                        try {
                            tickets.add(executor.submit(key, cancellation -> key));
                        } catch (RejectedExecutionException refused) {
                            // the leader, or a caller that came after the refusal: told at once
                        }
                        return null;
                    }));
                }
                for (Future<?> f : submitted) {
                    f.get(10, TimeUnit.SECONDS);
                }
            }
            List<CompletableFuture<ComputedResult>> waiting = tickets.stream()
                    .map(Ticket::result)
                    .filter(result -> !result.isDone())
                    .toList();
            assertThat(waiting)
                    .as("tickets of %d handed out still waiting", tickets.size())
                    .isEmpty();
            assertThat(tickets)
                    .allSatisfy(t -> assertThat(t.result())
                            .isCompletedExceptionally()
                            .failsWithin(java.time.Duration.ZERO)
                            .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                            .withCauseInstanceOf(RejectedExecutionException.class));
            release.countDown();
        } finally {
            racers.shutdownNow();
        }
    }

    @Test
    void closingCompletesCallersOfComputationsThatNeverStarted() {
        CountDownLatch release = new CountDownLatch(1);
        Ticket queued;
        try (ComputeExecutor<String> executor = new ComputeExecutor<>(1, 1, 1 << 20)) {
            executor.submit("running", cancellation -> await(release));
            queued = executor.submit("queued", cancellation -> "queued");
        }
        release.countDown();

        assertThat(queued.result()).isCompletedExceptionally();
    }

    private static String await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "done";
    }
}
