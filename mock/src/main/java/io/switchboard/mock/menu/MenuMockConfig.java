package io.switchboard.mock.menu;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How the mock menu backend behaves.
 *
 * @param prefix path prefix before {@code /api/restaurant} ({@code ""} in {@code switchboard mock},
 *     {@code /_mock/menu} inside {@code serve})
 * @param dataFile JSON file of restaurants, or null for the bundled one
 * @param latency delay before every answer, like the slow real backend
 * @param rateLimit requests per second beyond which it answers 429 with Retry-After; 0 for none
 * @param failEvery every n-th request fails with 500; 0 for never
 */
public record MenuMockConfig(String prefix, @Nullable Path dataFile, Duration latency, int rateLimit, int failEvery) {

    public MenuMockConfig {
        if (prefix == null || (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/")))) {
            throw new IllegalArgumentException("menu mock prefix must be empty or /like/this, was '" + prefix + "'");
        }
        if (latency == null || latency.isNegative()) {
            throw new IllegalArgumentException("menu mock latency must be zero or positive, was " + latency);
        }
        if (rateLimit < 0) {
            throw new IllegalArgumentException("menu mock rate limit must be 0 (off) or positive, was " + rateLimit);
        }
        if (failEvery < 0) {
            throw new IllegalArgumentException("menu mock fail-every must be 0 (never) or positive, was " + failEvery);
        }
    }

    /** The bundled data, no latency, no rate limit, no failures, under {@code prefix}. */
    public static MenuMockConfig defaults(String prefix) {
        return new MenuMockConfig(prefix, null, Duration.ZERO, 0, 0);
    }
}
