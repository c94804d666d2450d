package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    @Test
    void rejectsAPortOutOfRangeNamingIt() {
        assertThatThrownBy(() -> new ServerConfig("0.0.0.0", 70_000, 1, 10, 10, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be between 0 and 65535, was 70000");
    }

    @Test
    void rejectsAZeroConcurrencyLimit() {
        assertThatThrownBy(() -> new ServerConfig("0.0.0.0", 80, 1, 0, 10, Duration.ZERO))
                .hasMessageContaining("max concurrent requests must be at least 1");
    }
}
