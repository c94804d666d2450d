package io.switchboard.eye.client;

/**
 * Counters of an {@link EyeClient} since it was built.
 *
 * @param acknowledged events the server acknowledged (duplicates included)
 * @param duplicates of those, events the server already had
 * @param failed events refused for good or not delivered within the retries
 * @param dropped events never buffered because the buffer was full
 * @param retries requests sent again after a retryable answer or a connection error
 * @param splits batches halved after a 413
 * @param bufferedEvents events accepted and not yet acknowledged or failed
 * @param bufferedBytes their size as JSON
 */
public record Stats(
        long acknowledged,
        long duplicates,
        long failed,
        long dropped,
        long retries,
        long splits,
        int bufferedEvents,
        long bufferedBytes) {}
