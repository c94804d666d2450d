package io.switchboard.distribute.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AsyncLimiterTest {

    /** Runs queued operations on the releasing thread, so the test sees every step at once. */
    final AsyncLimiter limiter = new AsyncLimiter(2, Runnable::run);

    final List<CompletableFuture<Integer>> started = new ArrayList<>();

    @Test
    void noMoreThanThePermitsRunAtOnceAndTheRestStartInOrderAsOthersEnd() {
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(limiter.submit(this::operation));
        }
        assertThat(started).hasSize(2);
        assertThat(limiter.queued()).isEqualTo(3);

        started.get(0).complete(0);
        assertThat(started).hasSize(3);
        started.get(1).completeExceptionally(new IllegalStateException("failed"));
        assertThat(started).hasSize(4);

        assertThat(results.get(0)).isCompletedWithValue(0);
        assertThat(results.get(1)).isCompletedExceptionally();
        assertThat(results.get(2)).isNotDone();
    }

    @Test
    void anOperationThatThrowsOnStartReleasesItsPermit() {
        CompletableFuture<Integer> failed = limiter.submit(() -> {
            throw new IllegalStateException("cannot start");
        });
        limiter.submit(this::operation);
        limiter.submit(this::operation);

        assertThat(failed).isCompletedExceptionally();
        assertThat(started).hasSize(2);
    }

    private CompletableFuture<Integer> operation() {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        started.add(future);
        return future;
    }
}
