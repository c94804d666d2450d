package io.switchboard.eye.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    static final Clock NOW = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);

    /** Records the bounds asked for and answers the largest value allowed. */
    final List<Long> bounds = new ArrayList<>();

    final RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), NOW, bound -> {
        bounds.add(bound);
        return bound - 1;
    });

    @Test
    void theJitterBoundDoublesPerRetryUpToTheMaximum() {
        for (int retry = 0; retry < 6; retry++) {
            policy.delay(retry, null);
        }
        // Bounds are exclusive: [0, 100] ms is a bound of 101.
        assertThat(bounds).containsExactly(101L, 201L, 401L, 801L, 1001L, 1001L);
    }

    @Test
    void retryAfterIsAFloorNotACeiling() {
        assertThat(policy.delay(0, "5")).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.delay(4, "0")).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delay(0, "Wed, 02 Dec 2026 10:00:03 GMT")).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void onlyNotNowStatusesAndConnectionErrorsAreRetried() {
        assertThat(List.of(0, 429, 500, 502, 503, 504)).allMatch(RetryPolicy::retryable);
        assertThat(List.of(400, 401, 403, 404, 413, 415, 501)).noneMatch(RetryPolicy::retryable);
    }

    @Test
    void maxRetriesCountsAttemptsAfterTheFirst() {
        assertThat(policy.allows(2)).isTrue();
        assertThat(policy.allows(3)).isFalse();
    }
}
