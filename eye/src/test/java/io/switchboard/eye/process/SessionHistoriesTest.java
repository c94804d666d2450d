package io.switchboard.eye.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionHistoriesTest {

    private final SessionHistories histories = new SessionHistories();

    @Test
    void aKeptHistoryIsReturnedMovedForwardToTheBatchHorizon() {
        SessionHistory kept = new SessionHistory(100, 7);
        kept.add(150, 9);
        histories.put("s", kept);

        SessionHistory got = histories.get("s", 200);

        assertThat(got).isSameAs(kept);
        assertThat(got.horizon()).isEqualTo(200);
        assertThat(got.latestReceivedBy(200)).isEqualTo(9);
    }

    @Test
    void anUnknownSessionHasNoHistory() {
        assertThat(histories.get("never", 0)).isNull();
    }

    @Test
    void aHistoryLoadedForALaterHorizonCannotAnswerAndIsDropped() {
        histories.put("s", new SessionHistory(500, 7));

        assertThat(histories.get("s", 400)).isNull();
        assertThat(histories.size()).isZero();
    }

    @Test
    void theLeastRecentlyUsedSessionsGoFirstBeyondTheBound() {
        for (int i = 0; i < SessionHistories.MAX_SESSIONS; i++) {
            histories.put("s" + i, new SessionHistory(0, i));
        }
        histories.get("s0", 0); // used: now the most recent

        histories.put("new", new SessionHistory(0, 1));

        assertThat(histories.size()).isEqualTo(SessionHistories.MAX_SESSIONS);
        assertThat(histories.get("s0", 0)).isNotNull();
        assertThat(histories.get("s1", 0)).isNull();
        assertThat(histories.get("new", 0)).isNotNull();
    }

    @Test
    void forgettingDropsEverything() {
        histories.put("a", new SessionHistory(0, 1));
        histories.put("b", new SessionHistory(0, 2));

        histories.forgetAll();

        assertThat(histories.get("a", 0)).isNull();
        assertThat(histories.get("b", 0)).isNull();
    }
}
