package io.switchboard.app.serve;

import io.switchboard.app.cli.DurationConverter;
import io.switchboard.distribute.DistributeConfig;
import io.switchboard.distribute.DistributeService;
import io.switchboard.distribute.supervise.PythonCommand;
import io.switchboard.distribute.supervise.WorkerCommand;
import io.switchboard.platform.Service;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/** Options of distribute: the dispatcher and its local worker processes. */
public final class DistributeOptions implements ServiceOptions {

    @Option(
            names = "--distribute-workers",
            defaultValue = "-1",
            description = "Local worker processes, each running one task at a time; -1 means one per core "
                    + "(env DISTRIBUTE_WORKERS; default: the number of cores).")
    int workers;

    @Option(
            names = "--distribute-tokens",
            split = ",",
            description = "Bearer tokens allowed to submit tasks, comma-separated, 16+ characters each "
                    + "(env DISTRIBUTE_TOKENS; default: none, and then only loopback callers may submit).")
    List<String> tokens;

    @Option(
            names = "--distribute-queue-capacity",
            defaultValue = "100000",
            description = "Tasks waiting for a worker beyond which submissions get 429 "
                    + "(env DISTRIBUTE_QUEUE_CAPACITY; default ${DEFAULT-VALUE}).")
    int queueCapacity;

    @Option(
            names = "--distribute-max-retries",
            defaultValue = "3",
            description = "Retries of a task whose worker crashed, unless the task says otherwise "
                    + "(env DISTRIBUTE_MAX_RETRIES; default ${DEFAULT-VALUE}).")
    int maxRetries;

    @Option(
            names = "--distribute-task-timeout",
            defaultValue = "PT10M",
            converter = DurationConverter.class,
            description = "Run time of one attempt when the task names none; its worker is killed past it "
                    + "(env DISTRIBUTE_TASK_TIMEOUT; default 10m).")
    Duration taskTimeout;

    @Option(
            names = "--distribute-worker-heap",
            defaultValue = "256m",
            description =
                    "Heap of each local worker JVM, e.g. 512m (env DISTRIBUTE_WORKER_HEAP; default ${DEFAULT-VALUE}).")
    String workerHeap;

    @Option(
            names = "--distribute-worker-host",
            defaultValue = "127.0.0.1",
            description = "Address workers connect to; 0.0.0.0 lets remote 'switchboard worker' processes join "
                    + "with a distribute token (env DISTRIBUTE_WORKER_HOST; default ${DEFAULT-VALUE}).")
    String workerHost;

    @Option(
            names = "--distribute-worker-port",
            defaultValue = "0",
            description =
                    "Port workers connect to; 0 picks a free one (env DISTRIBUTE_WORKER_PORT; default ${DEFAULT-VALUE}).")
    int workerPort;

    @Option(
            names = "--distribute-python-workers",
            defaultValue = "-1",
            description =
                    "Local Python worker processes for the seed's POST /rpc; -1 means one per core when a python3 "
                            + "with cloudpickle is found, else 0 (env DISTRIBUTE_PYTHON_WORKERS; default -1).")
    int pythonWorkers;

    @Option(
            names = "--distribute-python",
            description = "Python interpreter with cloudpickle for the Python workers "
                    + "(env DISTRIBUTE_PYTHON; default: /usr/bin/python3, then python3 on the PATH).")
    String python;

    @Option(
            names = "--distribute-queue",
            description = "Where tasks wait: empty for this process, or nats://[TOKEN@]HOST:4222 for a NATS "
                    + "JetStream queue shared by several serve instances and 'switchboard worker --connect nats://…' "
                    + "nodes (env DISTRIBUTE_QUEUE; default: in this process).")
    String queue;

    @Override
    public String serviceName() {
        return DistributeService.NAME;
    }

    @Override
    public Service create(ServeSettings settings) {
        if (!workerHeap.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("--distribute-worker-heap is a size such as 256m, was " + workerHeap);
        }
        if (workers < -1 || pythonWorkers < -1) {
            throw new IllegalArgumentException("--distribute-workers and --distribute-python-workers are 0..1024, "
                    + "or -1 for one per core; were " + workers + " and " + pythonWorkers);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int count = workers == -1 ? cores : workers;
        Optional<PythonCommand> pythonCommand = pythonWorkers == 0
                ? Optional.empty()
                : PythonCommand.find(python, settings.dataDir().toAbsolutePath().resolve("distribute"));
        if (pythonWorkers > 0 && pythonCommand.isEmpty()) {
            throw new IllegalArgumentException("--distribute-python-workers " + pythonWorkers + " needs a python3 with "
                    + "cloudpickle (apt-get install python3-cloudpickle, or --distribute-python PATH)");
        }
        int pythonCount = pythonWorkers == -1 ? (pythonCommand.isPresent() ? cores : 0) : pythonWorkers;
        return new DistributeService(new DistributeConfig(
                count,
                queueCapacity,
                maxRetries,
                taskTimeout,
                tokens == null ? Set.of() : Set.copyOf(tokens),
                workerHost,
                workerPort,
                Duration.ofMinutes(10),
                256L << 20,
                WorkerCommand.sameJvm(workerHeap),
                pythonCount,
                pythonCommand.orElse(null),
                queue == null || queue.isBlank() ? null : queue));
    }
}
