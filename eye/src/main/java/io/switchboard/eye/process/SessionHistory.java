package io.switchboard.eye.process;

import java.util.Arrays;

/**
 * The valid events of one session that the processor compares with: the latest timestamp among
 * those received at or before a horizon, and the {@code (received, timestamp)} pairs of those
 * received after it, to which the processor's own valid events are added as they are judged. It
 * answers for any time at or after its horizon; {@link #foldTo} moves the horizon forward as
 * batches do, so that a history kept between batches ({@link SessionHistories}) stays small.
 *
 * <p>The question asked for every row is "the latest timestamp among valid events received by
 * {@code t}". A busy session has every event of the last reorder window here (300,000 at 5,000
 * events/s and the default minute), so scanning them all for each row made a batch quadratic and
 * let the processor fall behind, holding the CPU that acknowledgements wait for. The pairs are
 * therefore kept sorted by arrival with the running maximum of their timestamps: a question is a
 * binary search, and an event added in arrival order (the usual case: rows come in storage order)
 * is an append.
 *
 * <p>Not thread-safe: only the processor thread uses it.
 */
final class SessionHistory {

    /**
     * Pairs a new history has room for. Most sessions hold a handful of events per reorder window,
     * and thousands of histories are kept between batches.
     */
    private static final int INITIAL_CAPACITY = 4;

    /** Folding shifts the arrays; it waits until at least this many pairs can go, so it stays cheap. */
    private static final int MIN_FOLD = 64;

    private long horizon;
    private long latestBeforeHorizon;
    private long[] received = new long[INITIAL_CAPACITY];
    private long[] timestamps = new long[INITIAL_CAPACITY];
    /**
     * {@code runningMax[i]}: the latest timestamp among the first {@code i + 1} pairs, or among
     * pairs since folded into {@link #latestBeforeHorizon}; either way never above the true answer.
     */
    private long[] runningMax = new long[INITIAL_CAPACITY];

    private int size;

    /**
     * @param horizon the arrival time (µs) up to which events are summed up by {@code
     *     latestBeforeHorizon}; the history answers for times at or after it
     * @param latestBeforeHorizon the latest timestamp received at or before the horizon, or {@link
     *     Long#MIN_VALUE} for none; the events after it are then {@linkplain #add added}
     */
    SessionHistory(long horizon, long latestBeforeHorizon) {
        this.horizon = horizon;
        this.latestBeforeHorizon = latestBeforeHorizon;
    }

    /** The earliest arrival time this history can answer for. */
    long horizon() {
        return horizon;
    }

    /**
     * Sums the pairs received at or before {@code newHorizon} up into the latest timestamp before
     * the horizon, which moves there; the history then answers for times at or after it only. Does
     * nothing for a horizon not after the current one.
     */
    void foldTo(long newHorizon) {
        if (newHorizon <= horizon) {
            return;
        }
        horizon = newHorizon;
        int count = countReceivedBy(newHorizon);
        if (count < MIN_FOLD && count < size) {
            // Few to drop: they stay, and still answer correctly for times after the new horizon.
            return;
        }
        if (count > 0) {
            latestBeforeHorizon = Math.max(latestBeforeHorizon, runningMax[count - 1]);
            System.arraycopy(received, count, received, 0, size - count);
            System.arraycopy(timestamps, count, timestamps, 0, size - count);
            System.arraycopy(runningMax, count, runningMax, 0, size - count);
            size -= count;
        }
        if (received.length > 64 && received.length > 4 * size) {
            // A burst has passed: give back most of the room it needed.
            int capacity = Math.max(INITIAL_CAPACITY, size * 2);
            received = Arrays.copyOf(received, capacity);
            timestamps = Arrays.copyOf(timestamps, capacity);
            runningMax = Arrays.copyOf(runningMax, capacity);
        }
    }

    /** Latest timestamp among the valid events received at or before {@code receivedBy}. */
    long latestReceivedBy(long receivedBy) {
        int count = countReceivedBy(receivedBy);
        return count == 0 ? latestBeforeHorizon : Math.max(latestBeforeHorizon, runningMax[count - 1]);
    }

    /** Adds a valid event: one loaded from the database, or one judged in this batch. */
    void add(long receivedMicros, long timestampMicros) {
        if (size == received.length) {
            int capacity = Math.max(INITIAL_CAPACITY, size * 2);
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
