package io.switchboard.distribute.dispatch;

/**
 * Told when a worker of a language becomes free for a task, or an idle one goes away. A queue that
 * lives outside the dispatcher (JetStream) pulls one task per free worker from it, so the
 * dispatcher never holds a task no worker can take: the no-prefetch rule across machines.
 *
 * <p>Called after the dispatcher's lock is released, on the thread of the event.
 */
public interface WorkerAvailability {

    /** No one listens: the in-process queue needs no signal. */
    WorkerAvailability NONE = new WorkerAvailability() {
        @Override
        public void idle(Language language) {}

        @Override
        public void gone(Language language) {}
    };

    /** A worker of this language is idle now (connected, or done with its task). */
    void idle(Language language);

    /** An idle worker of this language left (its process exited or its link closed). */
    void gone(Language language);
}
