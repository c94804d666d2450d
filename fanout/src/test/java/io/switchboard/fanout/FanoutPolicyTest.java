package io.switchboard.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FanoutPolicyTest {

    @Test
    void aHedgedPolicyWithoutDelayIsRefusedNamingTheWave() {
        assertThatThrownBy(() -> FanoutPolicy.hedged(3, 1, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("first wave 1 of 3")
                .hasMessageContaining("needs a hedge delay");
    }

    @Test
    void aFirstWaveWiderThanTheWidthIsRefused() {
        assertThatThrownBy(() -> new FanoutPolicy(2, 3, Duration.ZERO, FanoutPolicy.Goal.ALL))
                .hasMessage("fan-out first wave must be between 1 and the width 2, was 3");
    }

    @Test
    void onlyPoliciesWithASmallerFirstWaveHedge() {
        assertThat(FanoutPolicy.hedged(3, 1, Duration.ofMillis(300)).hedges()).isTrue();
        assertThat(FanoutPolicy.first(3).hedges()).isFalse();
    }
}
