package io.switchboard.mock.work;

import java.time.Duration;

/**
 * How the work mock behaves when no scripted answer is queued: like the assignment's unreliable
 * backend, a delay drawn uniformly between {@code minDelay} and {@code maxDelay}, then a share of
 * errors, of invalid bodies under a 200 and of requests that never get an answer.
 *
 * @param prefix path prefix of the mock's routes ({@code ""} on its own server, {@code /_mock/work}
 *     inside {@code serve})
 * @param minDelay shortest default delay
 * @param maxDelay longest default delay
 * @param errorShare share of default answers that are {@code 500}
 * @param invalidShare share of default answers that are a 200 with a broken JSON body
 * @param hangShare share of default requests that are never answered
 * @param remoteControl whether the control endpoints ({@code /setscenario}, {@code /requests},
 *     {@code /stats}) answer clients beyond loopback; off by default, since whoever can script the
 *     mock can script the backend of everything that calls it
 */
public record WorkMockConfig(
        String prefix,
        Duration minDelay,
        Duration maxDelay,
        double errorShare,
        double invalidShare,
        double hangShare,
        boolean remoteControl) {

    public WorkMockConfig {
        if (prefix == null || (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/")))) {
            throw new IllegalArgumentException(
                    "work mock prefix must be empty or start with '/' and not end with '/', was '" + prefix + "'");
        }
        if (minDelay == null || maxDelay == null || minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0) {
            throw new IllegalArgumentException(
                    "work mock delays must satisfy 0 <= min <= max, were " + minDelay + " and " + maxDelay);
        }
        for (double share : new double[] {errorShare, invalidShare, hangShare}) {
            if (share < 0 || share > 1) {
                throw new IllegalArgumentException("work mock shares must be between 0 and 1, was " + share);
            }
        }
        if (errorShare + invalidShare + hangShare > 1) {
            throw new IllegalArgumentException("work mock error, invalid and hang shares add up to more than 1");
        }
    }

    /** The assignment's backend: 100–600 ms, 10% errors, 5% broken bodies, 2% hanging requests. */
    public static WorkMockConfig defaults() {
        return new WorkMockConfig("", Duration.ofMillis(100), Duration.ofMillis(600), 0.10, 0.05, 0.02, false);
    }

    /** A well-behaved backend for tests that script every answer themselves. */
    public static WorkMockConfig reliable() {
        return new WorkMockConfig("", Duration.ofMillis(100), Duration.ofMillis(600), 0, 0, 0, false);
    }

    public WorkMockConfig withPrefix(String newPrefix) {
        return new WorkMockConfig(newPrefix, minDelay, maxDelay, errorShare, invalidShare, hangShare, remoteControl);
    }

    public WorkMockConfig withRemoteControl(boolean allowed) {
        return new WorkMockConfig(prefix, minDelay, maxDelay, errorShare, invalidShare, hangShare, allowed);
    }
}
