package io.switchboard.bench;

/** A source of monotonic nanoseconds; tests substitute one they move by hand. */
@FunctionalInterface
public interface Ticker {

    long nanoTime();

    static Ticker system() {
        return System::nanoTime;
    }
}
