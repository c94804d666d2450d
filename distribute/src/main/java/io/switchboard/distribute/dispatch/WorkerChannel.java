package io.switchboard.distribute.dispatch;

/**
 * The dispatcher's handle on one connected worker. The link server implements it over TCP; tests
 * may implement it in memory.
 */
public interface WorkerChannel {

    /** The worker slot's id, e.g. {@code w-3}; a replacement process keeps its slot's id. */
    String workerId();

    /** What the worker runs, as it said in its hello. */
    default Language language() {
        return Language.JAVA;
    }

    /** Sends a task to this worker, which is idle. Must not block; failures surface as a lost worker. */
    void send(Task task, int attempt);

    /**
     * Ends this worker at once (its process is killed); the dispatcher then hears that it was lost.
     *
     * @param reason for the log
     */
    void kill(String reason);
}
