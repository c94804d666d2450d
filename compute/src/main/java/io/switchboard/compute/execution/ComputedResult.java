package io.switchboard.compute.execution;

import java.time.Duration;

/**
 * A finished computation: the exact value in decimal and how long computing and formatting took.
 *
 * @param decimal the value's decimal digits (with a leading minus sign, never, for these functions)
 * @param computeTime wall time spent computing the value and its decimal form
 */
public record ComputedResult(String decimal, Duration computeTime) {

    public int digits() {
        return decimal.length();
    }
}
