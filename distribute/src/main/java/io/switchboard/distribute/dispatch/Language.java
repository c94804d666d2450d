package io.switchboard.distribute.dispatch;

/**
 * What a worker runs, and so which tasks it may take: Java workers run shipped Java functions, built-ins and
 * deployed jars; Python workers run cloudpickled functions from the seed's Python clients.
 */
public enum Language {
    JAVA,
    PYTHON;

    /** The language a task's function needs: {@code python} tasks go to Python workers, the rest to Java. */
    public static Language of(String function) {
        return TaskSpec.PYTHON.equals(function) ? PYTHON : JAVA;
    }
}
