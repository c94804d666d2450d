package io.switchboard.distribute.supervise;

import io.switchboard.distribute.dispatch.Language;
import java.util.List;

/** How to start one kind of local worker process: Java ({@link WorkerCommand}) or Python ({@link PythonCommand}). */
public interface WorkerLaunch {

    Language language();

    /** The prefix of this kind's slot ids: {@code w-} for Java, {@code py-} for Python. */
    String idPrefix();

    /** The command line of a worker that connects to {@code host:port} as {@code workerId}. */
    List<String> argv(String host, int port, String workerId);
}
