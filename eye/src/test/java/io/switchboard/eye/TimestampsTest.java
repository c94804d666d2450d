package io.switchboard.eye;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.eye.ingest.Timestamps;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void seedFormatIsReadAsUtcWithMicroseconds() {
        assertThat(Timestamps.parseMicros("2021-01-01 09:15:27.243860"))
                .hasValue(Timestamps.toMicros(Instant.parse("2021-01-01T09:15:27.243860Z")));
    }

    @Test
    void isoWithOffsetIsConvertedToUtc() {
        assertThat(Timestamps.parseMicros("2021-01-01T10:15:27.5+01:00"))
                .hasValue(Timestamps.toMicros(Instant.parse("2021-01-01T09:15:27.5Z")));
        assertThat(Timestamps.parseMicros("2021-01-01T09:15:27Z"))
                .hasValue(Timestamps.toMicros(Instant.parse("2021-01-01T09:15:27Z")));
    }

    @Test
    void textThatIsNoTimestampIsRefused() {
        assertThat(Timestamps.parseMicros("yesterday")).isEmpty();
        assertThat(Timestamps.parseMicros("2021-13-01 09:15:27")).isEmpty();
        assertThat(Timestamps.parseMicros("2021-01-0109:15:27.000")).isEmpty();
    }

    @Test
    void dateThatDoesNotExistIsRefusedNotMovedToTheEndOfTheMonth() {
        assertThat(Timestamps.parseMicros("2024-02-30T00:00:00Z")).isEmpty();
        assertThat(Timestamps.parseMicros("2023-02-29 10:00:00")).isEmpty();
        assertThat(Timestamps.parseMicros("2024-02-29 10:00:00")).isPresent();
    }
}
