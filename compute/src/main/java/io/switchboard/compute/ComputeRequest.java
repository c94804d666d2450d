package io.switchboard.compute;

/**
 * One requested value: the function and its arguments ({@code m} is 0 for one-argument functions).
 * Equal requests share a computation and a cache entry.
 */
record ComputeRequest(Function function, long m, long n) {

    String describe() {
        return switch (function) {
            case FIBONACCI -> "F(" + n + ")";
            case FACTORIAL -> n + "!";
            case ACKERMANN -> "A(" + m + ", " + n + ")";
        };
    }
}
