package io.switchboard.bench;

/** Receives a one-line status about once a second while a run goes on (the CLI prints it on stderr). */
@FunctionalInterface
public interface Progress {

    /** Ignores every update. */
    Progress NONE = line -> {};

    /** Called from a timer thread; must not block. */
    void update(String line);
}
