package io.switchboard.distribute.testfunctions;

/**
 * Functions the tests deploy as a bundle and call as {@code Class::method}. The workers' class path
 * excludes test classes, so these reach a worker only by being shipped.
 */
public final class Tasks {

    private Tasks() {}

    public static int square(int x) {
        return x * x;
    }

    /** Ends the worker process with {@code code}, as a crashing function would. */
    public static int halt(int code) {
        Runtime.getRuntime().halt(code);
        return code;
    }

    /** Prints on both streams, then returns the line count. */
    public static int chatty(String line) {
        System.out.println(line);
        System.err.println("err:" + line);
        return 1;
    }

    /** Allocates until the worker runs out of memory. */
    // The list exists to hold memory, never to be read.
    @SuppressWarnings("ModifiedButNotUsed")
    public static int exhaustMemory() {
        java.util.List<long[]> hog = new java.util.ArrayList<>();
        while (true) {
            hog.add(new long[1 << 20]);
        }
    }
}
