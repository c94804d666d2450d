package io.switchboard.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The component on its own, over an {@link Upstream} that is not HTTP: what another service would
 * plug in. Attempts complete from a foreign thread, which the fan-out must move onto its context.
 */
class FanoutTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** An upstream whose attempts settle only when the test says so. */
    private static final class ScriptedUpstream implements Upstream<String> {
        final List<Promise<String>> pending = new CopyOnWriteArrayList<>();
        final List<Integer> cancelled = new CopyOnWriteArrayList<>();

        @Override
        public Call<String> start(Attempt attempt) {
            Promise<String> promise = Promise.promise();
            pending.add(promise);
            return new Call<>() {
                @Override
                public Future<String> result() {
                    return promise.future();
                }

                @Override
                public void cancel() {
                    cancelled.add(attempt.index());
                }
            };
        }
    }

    @Test
    void theFirstSuccessWinsAndEveryLoserIsCancelledOnce() throws Exception {
        ScriptedUpstream upstream = new ScriptedUpstream();
        Fanout<String> fanout = new Fanout<>(vertx, upstream, FanoutListener.NONE);

        Future<FanoutResult<String>> result = fanout.run(FanoutPolicy.first(3), Duration.ofSeconds(30), "r1");
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream.pending.size() == 3);
        upstream.pending.get(1).complete("second");

        FanoutResult<String> answer =
                result.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(answer.values()).containsExactly("second");
        assertThat(answer.answers().get(0).attempt()).isEqualTo(2);
        assertThat(upstream.cancelled).containsExactlyInAnyOrder(1, 3);
        assertThat(fanout.inFlight()).isZero();
        assertThat(fanout.pendingTimers()).isZero();
        assertThat(fanout.activeRuns()).isZero();
    }

    @Test
    void aHedgedFanoutFiresTheRestOnlyAfterTheDelay() throws Exception {
        ScriptedUpstream upstream = new ScriptedUpstream();
        List<Integer> hedges = new CopyOnWriteArrayList<>();
        List<Long> hedgedAt = new CopyOnWriteArrayList<>();
        FanoutListener listener = new FanoutListener() {
            @Override
            public void hedgeFired(String requestId, int count) {
                hedgedAt.add(System.nanoTime());
                hedges.add(count);
            }
        };
        Fanout<String> fanout = new Fanout<>(vertx, upstream, listener);

        long started = System.nanoTime();
        Future<FanoutResult<String>> result =
                fanout.run(FanoutPolicy.hedged(3, 1, Duration.ofMillis(200)), Duration.ofSeconds(30), "r2");
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream.pending.size() == 3);
        assertThat(Duration.ofNanos(hedgedAt.get(0) - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        upstream.pending.get(0).complete("late first");

        assertThat(result.toCompletionStage()
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS)
                        .values())
                .containsExactly("late first");
        assertThat(hedges).containsExactly(2);
        assertThat(upstream.cancelled).containsExactlyInAnyOrder(2, 3);
    }

    @Test
    void theDeadlineFailsTheFanoutAndCancelsWhatIsStillRunning() {
        ScriptedUpstream upstream = new ScriptedUpstream();
        Fanout<String> fanout = new Fanout<>(vertx, upstream, FanoutListener.NONE);

        Future<FanoutResult<String>> result = fanout.run(FanoutPolicy.all(2), Duration.ofMillis(100), "r3");

        await().atMost(Duration.ofSeconds(5)).until(result::isComplete);
        assertThat(result.cause())
                .isInstanceOf(FanoutException.class)
                .hasMessageStartingWith("The deadline of 100 ms passed with 2 attempt(s) fired");
        assertThat(((FanoutException) result.cause()).reason()).isEqualTo(FanoutException.Reason.DEADLINE);
        assertThat(upstream.cancelled).containsExactlyInAnyOrder(1, 2);
        assertThat(fanout.pendingTimers()).isZero();
    }
}
