package io.switchboard.distribute.jetstream;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The task ids a node heard cancelled lately. A cancelled task's message is deleted from the
 * stream, but a node may have pulled it just before: whichever comes second, the message or the
 * cancellation, finds the other (the task in the running map, or its id here), so a node never
 * needs to read a task's state before starting it.
 */
final class HeardCancellations {

    /**
     * How long an id is remembered: far longer than a pulled message takes to reach a worker, and
     * a message held longer than the ack wait is redelivered, which reads the task's state anyway.
     */
    static final Duration MEMORY = Duration.ofMinutes(1);

    private final ConcurrentHashMap<String, Long> heardAt = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    HeardCancellations(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    void heard(String id) {
        long now = nanoTime.getAsLong();
        // Cancellations are rare: forgetting the old ones on each new one keeps the map small.
        heardAt.values().removeIf(at -> now - at > MEMORY.toNanos());
        heardAt.put(id, now);
    }

    boolean cancelled(String id) {
        return heardAt.containsKey(id);
    }
}
