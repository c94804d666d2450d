package io.switchboard.app.distribute;

/** A function a jar deployed by the CLI test offers; workers get it only from the deployed jar. */
public final class SquareTasks {

    private SquareTasks() {}

    public static long square(long x) {
        return x * x;
    }
}
