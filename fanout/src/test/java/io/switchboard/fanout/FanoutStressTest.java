package io.switchboard.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A randomized harness for the fan-out state machine: hundreds of concurrent runs with random
 * policies, deadlines and hedge delays, over an upstream whose attempts succeed, fail, throw, hang
 * or settle from foreign threads at random moments, while some callers leave mid-run. Whatever the
 * interleaving: every run ends exactly once, never fires more than its width, cancels each attempt
 * at most once and only if it had not settled, answers according to its goal, and leaves no attempt,
 * timer or run behind. The seed is in every assertion message so a failure can be replayed.
 */
class FanoutStressTest {

    /** Concurrent runs per test: enough to interleave timers, foreign completions and leaving callers. */
    private static final int RUNS = 400;

    private final Vertx vertx = Vertx.vertx();
    private final ScheduledExecutorService foreign = Executors.newScheduledThreadPool(3);

    @AfterEach
    void close() throws Exception {
        foreign.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Per-attempt bookkeeping kept by the upstream, checked against what the runs report. */
    private record AttemptLog(AtomicInteger cancels, AtomicInteger settles) {
        AttemptLog() {
            this(new AtomicInteger(), new AtomicInteger());
        }
    }

    /** An upstream with random behaviour per attempt, settling on foreign threads. */
    private final class RandomUpstream implements Upstream<String> {
        private final Random random;
        final Map<Attempt, AttemptLog> attempts = new ConcurrentHashMap<>();

        RandomUpstream(long seed) {
            this.random = new Random(seed);
        }

        @Override
        public Call<String> start(Attempt attempt) {
            AttemptLog log = new AttemptLog();
            attempts.put(attempt, log);
            int behaviour;
            long delayMicros;
            synchronized (random) {
                behaviour = random.nextInt(10);
                delayMicros = random.nextInt(40_000);
            }
            if (behaviour == 0) {
                throw new IllegalStateException("refused synchronously");
            }
            Promise<String> promise = Promise.promise();
            if (behaviour != 1) { // 1: hangs until cancelled or the deadline
                foreign.schedule(
                        () -> {
                            log.settles().incrementAndGet();
                            if (behaviour <= 4) {
                                promise.tryFail(new AttemptFailedException(AttemptFailure.Kind.STATUS, "status 500"));
                            } else {
                                promise.tryComplete(attempt.requestId() + "#" + attempt.index());
                            }
                        },
                        delayMicros,
                        TimeUnit.MICROSECONDS);
            }
            return new Call<>() {
                @Override
                public Future<String> result() {
                    return promise.future();
                }

                @Override
                public void cancel() {
                    log.cancels().incrementAndGet();
                }
            };
        }
    }

    /** Counts what the fan-out reports per request id. */
    private static final class Ledger implements FanoutListener {
        final Map<String, AtomicInteger> ends = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> started = new ConcurrentHashMap<>();

        @Override
        public void attemptStarted(Attempt attempt) {
            started.computeIfAbsent(attempt.requestId(), id -> new AtomicInteger())
                    .incrementAndGet();
        }

        @Override
        public void succeeded(FanoutResult<?> result) {
            ends.computeIfAbsent(result.requestId(), id -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void failed(FanoutException failure) {
            ends.computeIfAbsent(failure.requestId(), id -> new AtomicInteger()).incrementAndGet();
        }
    }

    private record Run(String id, FanoutPolicy policy, Future<FanoutResult<String>> result) {}

    @Test
    void concurrentRandomRunsEachEndOnceAndLeaveNothingBehind() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        RandomUpstream upstream = new RandomUpstream(random.nextLong());
        Ledger ledger = new Ledger();
        Fanout<String> fanout = new Fanout<>(vertx, upstream, ledger);

        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            FanoutPolicy policy = randomPolicy(random);
            Duration deadline = Duration.ofMillis(5 + random.nextInt(60));
            Promise<Void> leaves = Promise.promise();
            if (random.nextInt(5) == 0) {
                foreign.schedule(() -> leaves.tryComplete(), random.nextInt(50), TimeUnit.MILLISECONDS);
            }
            String id = "run" + i;
            runs.add(new Run(id, policy, fanout.run(policy, deadline, id, leaves.future())));
        }

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(runs)
                        .as("seed %d: runs that never ended", seed)
                        .allMatch(run -> run.result().isComplete()));
        for (Run run : runs) {
            checkRun(seed, run, ledger, upstream);
        }
        upstream.attempts.forEach((attempt, log) -> assertThat(log.cancels().get())
                .as("seed %d: cancels of %s", seed, attempt)
                .isLessThanOrEqualTo(1));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(fanout.inFlight())
                    .as("seed %d: attempts in flight", seed)
                    .isZero();
            assertThat(fanout.pendingTimers())
                    .as("seed %d: timers pending", seed)
                    .isZero();
            assertThat(fanout.activeRuns()).as("seed %d: runs active", seed).isZero();
        });
    }

    private static void checkRun(long seed, Run run, Ledger ledger, RandomUpstream upstream) {
        String id = run.id();
        assertThat(ledger.ends.get(id)).as("seed %d: ends of %s", seed, id).hasValue(1);
        int started = ledger.started.getOrDefault(id, new AtomicInteger()).get();
        assertThat(started)
                .as("seed %d: attempts of %s", seed, id)
                .isBetween(1, run.policy().width());
        if (run.result().succeeded()) {
            FanoutResult<String> result = run.result().result();
            assertThat(result.fired()).as("seed %d: fired of %s", seed, id).isEqualTo(started);
            assertThat(result.values()).allMatch(value -> value.startsWith(id + "#"));
            if (run.policy().goal() == FanoutPolicy.Goal.FIRST_SUCCESS) {
                assertThat(result.answers())
                        .as("seed %d: answers of %s", seed, id)
                        .hasSize(1);
            } else {
                assertThat(result.answers().size()).isLessThanOrEqualTo(started);
            }
            if (run.policy().goal() == FanoutPolicy.Goal.ALL) {
                assertThat(result.answers())
                        .as("seed %d: answers of %s", seed, id)
                        .isNotEmpty();
            }
        } else {
            assertThat(run.result().cause())
                    .as("seed %d: failure of %s", seed, id)
                    .isInstanceOf(FanoutException.class);
        }
        // A cancelled attempt is one the run had not yet seen settle; the upstream may have settled it
        // meanwhile (its completion was on its way to the run's context), which is fine.
        upstream.attempts.forEach((attempt, log) -> {
            if (attempt.requestId().equals(id)) {
                assertThat(attempt.index()).isBetween(1, run.policy().width());
            }
        });
    }

    private static FanoutPolicy randomPolicy(Random random) {
        int width = 1 + random.nextInt(5);
        return switch (random.nextInt(4)) {
            case 0 -> FanoutPolicy.all(width);
            case 1 -> FanoutPolicy.first(width);
            case 2 -> FanoutPolicy.withinDeadline(width);
            default -> FanoutPolicy.hedged(width, 1 + random.nextInt(width), Duration.ofMillis(random.nextInt(20)));
        };
    }
}
