package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.load.ArrivalSchedule;
import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void requestsFallDueAtTheRateFromTheStart() {
        ArrivalSchedule schedule = new ArrivalSchedule(5 * SECOND, 100, 7 * SECOND);

        assertThat(schedule.dueCount(5 * SECOND - 1)).isZero();
        assertThat(schedule.dueCount(5 * SECOND)).isEqualTo(1);
        assertThat(schedule.dueCount(5 * SECOND + SECOND / 2)).isEqualTo(51);
        assertThat(schedule.intendedNanos(50)).isEqualTo(5 * SECOND + SECOND / 2);
    }

    @Test
    void aGeneratorThatFellBehindFindsEveryOverdueRequestWithItsOriginalDueTime() {
        ArrivalSchedule schedule = new ArrivalSchedule(0, 1000, 10 * SECOND);

        // Nothing was sent for a whole second (a stalled loop): all 1001 requests are due at once,
        // and the first still counts from time 0.
        assertThat(schedule.dueCount(SECOND)).isEqualTo(1001);
        assertThat(schedule.intendedNanos(0)).isZero();
    }

    @Test
    void noRequestIsDueAtOrAfterTheEnd() {
        ArrivalSchedule schedule = new ArrivalSchedule(0, 10, SECOND);

        assertThat(schedule.totalCount()).isEqualTo(10);
        assertThat(schedule.dueCount(5 * SECOND)).isEqualTo(10);
    }
}
