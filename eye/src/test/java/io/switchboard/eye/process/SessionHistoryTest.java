package io.switchboard.eye.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SessionHistoryTest {

    @Test
    void withNothingAfterTheHorizonTheAnswerIsTheLatestBeforeIt() {
        SessionHistory history = new SessionHistory(Long.MIN_VALUE, 500);

        assertThat(history.latestReceivedBy(Long.MAX_VALUE)).isEqualTo(500);
    }

    @Test
    void onlyEventsReceivedByTheGivenTimeCountAndTheLatestTimestampAmongThemWins() {
        // received 10, 20, 30 with timestamps 300, 100, 200 (given out of order)
        SessionHistory history = loaded(Long.MIN_VALUE, new long[] {30, 10, 20}, new long[] {200, 300, 100});

        assertThat(history.latestReceivedBy(9)).isEqualTo(Long.MIN_VALUE);
        assertThat(history.latestReceivedBy(10)).isEqualTo(300);
        assertThat(history.latestReceivedBy(25)).isEqualTo(300);
        assertThat(history.latestReceivedBy(30)).isEqualTo(300);
    }

    @Test
    void eventsAddedInOrderOrOutOfOrderAreCountedFromTheirArrival() {
        SessionHistory history = loaded(50, new long[] {10}, new long[] {100});

        history.add(40, 400);
        history.add(20, 700); // arrived between the two others
        history.add(40, 10); // same arrival as another

        assertThat(history.size()).isEqualTo(4);
        assertThat(history.latestReceivedBy(15)).isEqualTo(100);
        assertThat(history.latestReceivedBy(20)).isEqualTo(700);
        assertThat(history.latestReceivedBy(39)).isEqualTo(700);
        assertThat(history.latestReceivedBy(40)).isEqualTo(700);
    }

    @Test
    void itAnswersAsAScanOfEveryEventWouldForRandomHistories() {
        Random random = new Random(12);
        for (int round = 0; round < 50; round++) {
            int loaded = random.nextInt(40);
            long[] received = new long[loaded];
            long[] timestamps = new long[loaded];
            for (int i = 0; i < loaded; i++) {
                received[i] = random.nextInt(100);
                timestamps[i] = random.nextInt(1000);
            }
            long before = random.nextBoolean() ? Long.MIN_VALUE : random.nextInt(1000);
            SessionHistory history = loaded(before, received, timestamps);
            int added = random.nextInt(40);
            long[] allReceived = Arrays.copyOf(received, loaded + added);
            long[] allTimestamps = Arrays.copyOf(timestamps, loaded + added);
            for (int i = loaded; i < loaded + added; i++) {
                allReceived[i] = random.nextInt(100);
                allTimestamps[i] = random.nextInt(1000);
                history.add(allReceived[i], allTimestamps[i]);
            }
            for (long by = -1; by <= 100; by++) {
                long expected = before;
                for (int i = 0; i < allReceived.length; i++) {
                    if (allReceived[i] <= by && allTimestamps[i] > expected) {
                        expected = allTimestamps[i];
                    }
                }
                assertThat(history.latestReceivedBy(by))
                        .as("round %d, by %d", round, by)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void foldingMovesTheHorizonAndKeepsEveryAnswerAfterIt() {
        SessionHistory history = loaded(Long.MIN_VALUE, new long[] {10, 20, 30}, new long[] {300, 100, 200});

        history.foldTo(20);

        assertThat(history.horizon()).isEqualTo(20);
        assertThat(history.latestReceivedBy(20)).isEqualTo(300);
        assertThat(history.latestReceivedBy(30)).isEqualTo(300);
        history.foldTo(15); // not after the horizon: nothing changes
        assertThat(history.horizon()).isEqualTo(20);
    }

    @Test
    void foldingEverythingLeavesOnlyTheLatestBeforeTheHorizon() {
        SessionHistory history = new SessionHistory(0, Long.MIN_VALUE);
        for (int i = 1; i <= 1000; i++) {
            history.add(i, i % 7 == 0 ? 5000 + i : i);
        }

        history.foldTo(2000);

        assertThat(history.size()).isZero();
        assertThat(history.latestReceivedBy(2000)).isEqualTo(5994);
        history.add(2001, 1);
        assertThat(history.latestReceivedBy(2001)).isEqualTo(5994);
    }

    @Test
    void aFoldedHistoryAnswersAsAScanForRandomEventsAndHorizons() {
        Random random = new Random(34);
        for (int round = 0; round < 50; round++) {
            SessionHistory history = new SessionHistory(0, Long.MIN_VALUE);
            long[] allReceived = new long[400];
            long[] allTimestamps = new long[400];
            long horizon = 0;
            for (int i = 0; i < allReceived.length; i++) {
                // Mostly in arrival order, sometimes a little late; never before the horizon.
                allReceived[i] = Math.max(horizon + 1, i * 5L - (long) random.nextInt(3) * random.nextInt(20));
                allTimestamps[i] = random.nextInt(10_000);
                history.add(allReceived[i], allTimestamps[i]);
                if (random.nextInt(10) == 0) {
                    horizon = Math.max(horizon, i * 5L - random.nextInt(400));
                    history.foldTo(horizon);
                }
                for (long by = horizon; by <= i * 5L + 5; by += 7) {
                    long expected = Long.MIN_VALUE;
                    for (int j = 0; j <= i; j++) {
                        if (allReceived[j] <= by && allTimestamps[j] > expected) {
                            expected = allTimestamps[j];
                        }
                    }
                    assertThat(history.latestReceivedBy(by))
                            .as("round %d, event %d, by %d", round, i, by)
                            .isEqualTo(expected);
                }
            }
        }
    }

    private static SessionHistory loaded(long latestBeforeHorizon, long[] received, long[] timestamps) {
        SessionHistory history = new SessionHistory(Long.MIN_VALUE, latestBeforeHorizon);
        for (int i = 0; i < received.length; i++) {
            history.add(received[i], timestamps[i]);
        }
        return history;
    }
}
