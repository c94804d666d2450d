package io.switchboard.mock.work;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The scripted answers and the arrival times of requests since the scenario was set.
 *
 * <p>Threads: the mock's handlers run on several event loops, so every method synchronises on the
 * instance; each holds the lock for a few field updates only.
 */
final class Scenario {

    /** Arrival times kept: the first ones since the scenario was set; later arrivals are not recorded, so a long benchmark cannot exhaust memory. */
    private static final int MAX_ARRIVALS = 1_000_000;

    private List<ScriptedAnswer> answers = List.of();
    private int next;
    private long setAtNanos = System.nanoTime();
    private final List<Double> arrivals = new ArrayList<>();

    /** Replaces the scripted answers and restarts the arrival clock. */
    synchronized void set(List<ScriptedAnswer> newAnswers) {
        answers = List.copyOf(newAnswers);
        next = 0;
        setAtNanos = System.nanoTime();
        arrivals.clear();
    }

    /** Records an arrival and returns the next scripted answer, or empty when the script is used up. */
    synchronized Optional<ScriptedAnswer> arrive() {
        if (arrivals.size() < MAX_ARRIVALS) {
            arrivals.add((System.nanoTime() - setAtNanos) / 1e9);
        }
        if (next < answers.size()) {
            return Optional.of(answers.get(next++));
        }
        return Optional.empty();
    }

    /** Seconds since the scenario was set at which each request arrived, in order. */
    synchronized JsonArray arrivals() {
        return new JsonArray(new ArrayList<>(arrivals));
    }

    synchronized int arrivalCount() {
        return arrivals.size();
    }
}
