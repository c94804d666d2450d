package io.switchboard.eye;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The wait schedule of the ingest writer's busy handler, on a fake clock that the waits advance. */
class ShortWaitBusyHandlerTest {

    private long now = 1_000_000;
    private final List<Long> waits = new ArrayList<>();

    private final ShortWaitBusyHandler handler = new ShortWaitBusyHandler(
            Duration.ofNanos(50_000), Duration.ofMillis(1), Duration.ofMillis(10), () -> now, nanos -> {
                waits.add(nanos);
                now += nanos;
            });

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void waitsFiftyMicrosecondsDoublingToOneMillisecond() {
        for (int call = 0; call < 8; call++) {
            assertThat(handler.callback(call)).as("call %d retries", call).isNotZero();
        }

        assertThat(waits)
                .containsExactly(50_000L, 100_000L, 200_000L, 400_000L, 800_000L, 1_000_000L, 1_000_000L, 1_000_000L);
    }

    @Test
    void givesUpOnceTheWholeWaitReachesTheLimit() {
        int call = 0;
        while (handler.callback(call) != 0) {
            call++;
        }

        // 50 + 100 + 200 + 400 + 800 µs, then 1 ms waits, the last one cut to end exactly at 10 ms.
        assertThat(waits.stream().mapToLong(Long::longValue).sum()).isEqualTo(10_000_000L);
        assertThat(waits.getLast()).isEqualTo(450_000L);
        assertThat(call).isEqualTo(waits.size());
    }

    @Test
    void aNewWaitStartsItsScheduleAndItsLimitAgain() {
        int call = 0;
        while (handler.callback(call) != 0) {
            call++;
        }
        waits.clear();

        assertThat(handler.callback(0)).isNotZero();
        assertThat(handler.callback(1)).isNotZero();
        assertThat(waits).containsExactly(50_000L, 100_000L);
    }

    @Test
    void anInterruptedThreadGivesUpWithoutWaiting() {
        Thread.currentThread().interrupt();

        assertThat(handler.callback(0)).isZero();
        assertThat(waits).isEmpty();
    }

    @Test
    void anInterruptDuringAWaitGivesUp() {
        ShortWaitBusyHandler interrupting = new ShortWaitBusyHandler(
                Duration.ofNanos(50_000),
                Duration.ofMillis(1),
                Duration.ofMillis(10),
                () -> now,
                nanos -> Thread.currentThread().interrupt());

        assertThat(interrupting.callback(0)).isZero();
    }

    @Test
    void refusesAFirstWaitLongerThanTheLongest() {
        assertThatThrownBy(() -> new ShortWaitBusyHandler(Duration.ofMillis(2), Duration.ofMillis(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
