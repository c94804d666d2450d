package io.switchboard.fanout;

import java.time.Duration;

/**
 * How one fan-out calls its upstream: how many attempts in all ({@code width}), how many at once
 * at the start ({@code firstWave}), when the rest follow ({@code hedgeDelay}, or as soon as every
 * attempt of the first wave failed) and what the caller waits for ({@code goal}). The deadline is
 * per call, given to {@link Fanout#run}.
 *
 * <p>The four endpoints of the assignment are four policies: {@link #all(int)}, {@link
 * #first(int)}, {@link #withinDeadline(int)} and {@link #hedged(int, int, Duration)}.
 *
 * @param width attempts fired at most
 * @param firstWave attempts fired at once at the start; the other {@code width - firstWave} are the
 *     hedge
 * @param hedgeDelay how long the first wave has to succeed before the hedge fires; ignored when
 *     {@code firstWave == width}
 * @param goal when the fan-out is done
 */
public record FanoutPolicy(int width, int firstWave, Duration hedgeDelay, Goal goal) {

    /** Largest width accepted; more parallel copies of one call only add load. */
    public static final int MAX_WIDTH = 16;

    /** What the caller of a fan-out waits for. */
    public enum Goal {
        /** The first success; fails when every attempt failed or at the deadline. */
        FIRST_SUCCESS,
        /** Every attempt settled; the successes, in arrival order. Fails at the deadline or if none succeeded. */
        ALL,
        /** The successes that arrived before the deadline or before every attempt settled; never fails. */
        ALL_WITHIN_DEADLINE
    }

    public FanoutPolicy {
        if (width < 1 || width > MAX_WIDTH) {
            throw new IllegalArgumentException("fan-out width must be between 1 and " + MAX_WIDTH + ", was " + width);
        }
        if (firstWave < 1 || firstWave > width) {
            throw new IllegalArgumentException(
                    "fan-out first wave must be between 1 and the width " + width + ", was " + firstWave);
        }
        if (goal == null) {
            throw new IllegalArgumentException("fan-out goal must be set");
        }
        if (firstWave < width && (hedgeDelay == null || hedgeDelay.isNegative())) {
            throw new IllegalArgumentException("a fan-out with a hedge (first wave " + firstWave + " of " + width
                    + ") needs a hedge delay >= 0, was " + hedgeDelay);
        }
        if (firstWave == width) {
            hedgeDelay = Duration.ZERO;
        }
    }

    /** Fires {@code width} attempts at once and waits for all of them. */
    public static FanoutPolicy all(int width) {
        return new FanoutPolicy(width, width, Duration.ZERO, Goal.ALL);
    }

    /** Fires {@code width} attempts at once and takes the first success. */
    public static FanoutPolicy first(int width) {
        return new FanoutPolicy(width, width, Duration.ZERO, Goal.FIRST_SUCCESS);
    }

    /** Fires {@code width} attempts at once and takes whatever succeeded by the deadline. */
    public static FanoutPolicy withinDeadline(int width) {
        return new FanoutPolicy(width, width, Duration.ZERO, Goal.ALL_WITHIN_DEADLINE);
    }

    /**
     * Fires {@code firstWave} attempts; if none succeeded after {@code hedgeDelay}, or all of them
     * failed sooner, fires the rest up to {@code width} at once; takes the first success.
     */
    public static FanoutPolicy hedged(int width, int firstWave, Duration hedgeDelay) {
        return new FanoutPolicy(width, firstWave, hedgeDelay, Goal.FIRST_SUCCESS);
    }

    public FanoutPolicy withHedgeDelay(Duration delay) {
        return new FanoutPolicy(width, firstWave, delay, goal);
    }

    /** Whether some attempts wait for the hedge. */
    public boolean hedges() {
        return firstWave < width;
    }
}
