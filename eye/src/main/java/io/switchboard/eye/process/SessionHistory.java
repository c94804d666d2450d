package io.switchboard.eye.process;

import java.util.Arrays;

/**
 * The valid events of one session that a batch of the processor compares with: the latest
 * timestamp among those received at or before the batch's horizon, and the {@code (received,
 * timestamp)} pairs of those received after it, to which the batch's own valid events are added as
 * they are judged.
 *
 * <p>The question asked for every row is "the latest timestamp among valid events received by
 * {@code t}". A busy session has every event of the last reorder window here (300,000 at 5,000
 * events/s and the default minute), so scanning them all for each row made a batch quadratic and
 * let the processor fall behind, holding the CPU that acknowledgements wait for. The pairs are
 * therefore kept sorted by arrival with the running maximum of their timestamps: a question is a
 * binary search, and an event added in arrival order (the usual case: rows come in storage order)
 * is an append.
 *
 * <p>Not thread-safe: one processor thread uses it for one batch.
 */
final class SessionHistory {

    private final long latestBeforeHorizon;
    private long[] received = new long[16];
    private long[] timestamps = new long[16];
    /** {@code runningMax[i]}: the latest timestamp among the first {@code i + 1} pairs. */
    private long[] runningMax = new long[16];

    private int size;

    /**
     * @param latestBeforeHorizon the latest timestamp received at or before the horizon, or {@link
     *     Long#MIN_VALUE} for none; the events after it are then {@linkplain #add added}
     */
    SessionHistory(long latestBeforeHorizon) {
        this.latestBeforeHorizon = latestBeforeHorizon;
    }

    /** Latest timestamp among the valid events received at or before {@code receivedBy}. */
    long latestReceivedBy(long receivedBy) {
        int count = countReceivedBy(receivedBy);
        return count == 0 ? latestBeforeHorizon : Math.max(latestBeforeHorizon, runningMax[count - 1]);
    }

    /** Adds a valid event: one loaded from the database, or one judged in this batch. */
    void add(long receivedMicros, long timestampMicros) {
        if (size == received.length) {
            int capacity = size * 2;
            received = Arrays.copyOf(received, capacity);
            timestamps = Arrays.copyOf(timestamps, capacity);
            runningMax = Arrays.copyOf(runningMax, capacity);
        }
        int at = countReceivedBy(receivedMicros);
        if (at < size) {
            // Arrived out of order: shift the later ones up and redo their running maximum.
            System.arraycopy(received, at, received, at + 1, size - at);
            System.arraycopy(timestamps, at, timestamps, at + 1, size - at);
        }
        received[at] = receivedMicros;
        timestamps[at] = timestampMicros;
        size++;
        recomputeRunningMaxFrom(at);
    }

    /** Events after the horizon, for tests. */
    int size() {
        return size;
    }

    /** How many pairs have arrived at or before {@code receivedBy}: the first index past them. */
    private int countReceivedBy(long receivedBy) {
        int low = 0;
        int high = size;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (received[middle] <= receivedBy) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private void recomputeRunningMaxFrom(int from) {
        for (int i = from; i < size; i++) {
            runningMax[i] = i == 0 ? timestamps[0] : Math.max(runningMax[i - 1], timestamps[i]);
        }
    }
}
