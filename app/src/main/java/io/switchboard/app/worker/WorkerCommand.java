package io.switchboard.app.worker;

import io.switchboard.distribute.worker.WorkerMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard worker}: a distribute worker process that connects to a dispatcher's worker
 * link and runs one task at a time until the link closes. {@code serve} starts its local workers
 * with the same entry point; this command lets workers on other machines join a {@code serve}
 * whose link listens beyond loopback ({@code --distribute-worker-host}).
 */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Runs a distribute worker: connects to a dispatcher and runs one task at a time.")
public final class WorkerCommand implements Callable<Integer> {

    @Option(
            names = "--connect",
            required = true,
            description = "The dispatcher's worker link, HOST:PORT (serve logs it at start; env WORKER_CONNECT).")
    String connect;

    @Option(
            names = "--token",
            description = "A distribute token (one of serve's DISTRIBUTE_TOKENS) (env WORKER_TOKEN).")
    String token;

    @Option(
            names = "--id",
            description = "This worker's id in listings and metrics (env WORKER_ID; default: worker-<pid>).")
    String id;

    @Override
    public Integer call() {
        int colon = connect.lastIndexOf(':');
        if (colon <= 0 || colon == connect.length() - 1) {
            throw new IllegalArgumentException("--connect is HOST:PORT, was " + connect);
        }
        int port;
        try {
            port = Integer.parseInt(connect.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--connect is HOST:PORT, was " + connect);
        }
        String workerId = id != null ? id : "worker-" + ProcessHandle.current().pid();
        return WorkerMain.run(connect.substring(0, colon), port, workerId, token);
    }
}
