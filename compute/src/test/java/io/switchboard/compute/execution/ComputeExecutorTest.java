package io.switchboard.compute.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ComputeExecutorTest {

    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch proceed = new CountDownLatch(1);
    private final AtomicInteger runs = new AtomicInteger();
    private ComputeExecutor<String> executor;

    @AfterEach
    void close() {
        proceed.countDown();
        executor.close();
    }

    /** A computation that blocks until the test lets it finish, watching for cancellation. */
    private String blocking(io.switchboard.compute.math.Cancellation cancellation) {
        runs.incrementAndGet();
        started.countDown();
        try {
            while (!proceed.await(10, TimeUnit.MILLISECONDS)) {
                cancellation.check();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "42";
    }

    @Test
    void identicalRequestsInFlightShareOneComputation() throws Exception {
        executor = new ComputeExecutor<>(2, 4, 1 << 20);

        Ticket first = executor.submit("f(10)", this::blocking);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Ticket second = executor.submit("f(10)", this::blocking);
        proceed.countDown();

        assertThat(first.source()).isEqualTo(Ticket.Source.COMPUTED);
        assertThat(second.source()).isEqualTo(Ticket.Source.SHARED);
        assertThat(first.result().get(10, TimeUnit.SECONDS).decimal()).isEqualTo("42");
        assertThat(second.result().get(10, TimeUnit.SECONDS).decimal()).isEqualTo("42");
        assertThat(runs).hasValue(1);
    }

    @Test
    void finishedResultsComeFromTheCache() throws Exception {
        executor = new ComputeExecutor<>(1, 1, 1 << 20);
        proceed.countDown();
        executor.submit("f(10)", this::blocking).result().get(10, TimeUnit.SECONDS);

        Ticket again = executor.submit("f(10)", this::blocking);

        assertThat(again.source()).isEqualTo(Ticket.Source.CACHE);
        assertThat(again.result()).isCompletedWithValueMatching(r -> r.decimal().equals("42"));
        assertThat(runs).hasValue(1);
    }

    @Test
    void computationIsCancelledOnlyWhenTheLastWaiterLeaves() throws Exception {
        executor = new ComputeExecutor<>(1, 1, 1 << 20);
        Ticket first = executor.submit("slow", this::blocking);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Ticket second = executor.submit("slow", this::blocking);

        first.abandon().run();
        assertThat(second.result()).isNotDone();
        second.abandon().run();

        assertThatThrownBy(() -> second.result().get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.cancelledCount() == 1);
        assertThat(executor.inFlight()).isZero();
    }

    @Test
    void refusesWorkWhenThreadsAndQueueAreFull() throws Exception {
        executor = new ComputeExecutor<>(1, 1, 1 << 20);
        executor.submit("a", this::blocking);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        executor.submit("b", this::blocking);

        assertThatThrownBy(() -> executor.submit("c", this::blocking)).isInstanceOf(RejectedExecutionException.class);
        assertThat(executor.inFlight()).isEqualTo(2);
    }

    @Test
    void cacheIsBoundedByBytesNotEntries() throws Exception {
        executor = new ComputeExecutor<>(1, 4, 10_000);
        for (int i = 0; i < 20; i++) {
            executor.submit("big" + i, c -> "9".repeat(2_000)).result().get(10, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> executor.cachedBytes() <= 10_000);
        assertThat(executor.cachedBytes()).isPositive();
    }

    @Test
    void aZeroByteCacheNeverServesAResult() throws Exception {
        executor = new ComputeExecutor<>(1, 4, 0);
        for (int i = 0; i < 3; i++) {
            Ticket ticket = executor.submit("same", c -> {
                runs.incrementAndGet();
                return "7";
            });
            assertThat(ticket.source()).isEqualTo(Ticket.Source.COMPUTED);
            ticket.result().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> executor.inFlight() == 0);
        }

        assertThat(runs.get()).isEqualTo(3);
        assertThat(executor.cachedBytes()).isZero();
    }
}
