package io.switchboard.distribute;

import io.switchboard.distribute.jetstream.JetStreamLink;
import io.switchboard.distribute.supervise.PythonCommand;
import io.switchboard.distribute.supervise.WorkerCommand;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The distribute service's settings, validated at start.
 *
 * @param workers local worker processes {@code serve} starts and supervises (0: only remote workers)
 * @param queueCapacity tasks waiting for a worker beyond which submissions get 429
 * @param maxRetries default retries of a task whose worker crashed (a task may ask for other)
 * @param defaultTimeout run time of one attempt when a task names none
 * @param tokens bearer tokens that may submit; empty means loopback callers only
 * @param workerHost address the worker link listens on (loopback unless remote workers join)
 * @param workerPort port of the worker link (0: any free port)
 * @param retention how long an ended task stays readable
 * @param bundleBytes memory for shipped class bundles
 * @param workerCommand how to start a local worker process
 * @param pythonWorkers local Python worker processes for {@code POST /rpc}
 * @param pythonCommand how to start one, or null when no python3 with cloudpickle was found
 * @param queue {@code nats://host:port} of the JetStream queue shared with other instances, or null
 *     for the in-process queue
 */
public record DistributeConfig(
        int workers,
        int queueCapacity,
        int maxRetries,
        Duration defaultTimeout,
        Set<String> tokens,
        String workerHost,
        int workerPort,
        Duration retention,
        long bundleBytes,
        WorkerCommand workerCommand,
        int pythonWorkers,
        @Nullable PythonCommand pythonCommand,
        @Nullable String queue) {

    /** Longest run time a task may ask for. */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    public DistributeConfig {
        require(workers >= 0 && workers <= 1024, "--distribute-workers must be 0..1024, was " + workers);
        require(queueCapacity >= 1, "--distribute-queue-capacity must be at least 1, was " + queueCapacity);
        require(maxRetries >= 0 && maxRetries <= 100, "--distribute-max-retries must be 0..100, was " + maxRetries);
        require(
                defaultTimeout != null
                        && !defaultTimeout.isNegative()
                        && !defaultTimeout.isZero()
                        && defaultTimeout.compareTo(MAX_TIMEOUT) <= 0,
                "--distribute-task-timeout must be positive and at most 24h, was " + defaultTimeout);
        require(workerPort >= 0 && workerPort <= 65535, "--distribute-worker-port must be 0..65535, was " + workerPort);
        require(retention != null && !retention.isNegative(), "the task retention must be zero or positive");
        require(bundleBytes >= 1 << 20, "the bundle memory must be at least 1 MiB, was " + bundleBytes);
        require(
                pythonWorkers >= 0 && pythonWorkers <= 1024,
                "--distribute-python-workers must be 0..1024, was " + pythonWorkers);
        require(
                pythonWorkers == 0 || pythonCommand != null,
                "--distribute-python-workers needs a python3 with cloudpickle (apt-get install python3-cloudpickle)");
        if (queue != null) {
            JetStreamLink.validate(queue);
        }
        tokens = Set.copyOf(tokens);
        for (String token : tokens) {
            require(token.length() >= 16, "DISTRIBUTE_TOKENS: each token has at least 16 characters");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The defaults of {@code serve}'s options, with {@code workers} local workers: what a worker node
     * of the JetStream queue runs with (tasks carry their own timeout and retries).
     */
    public static DistributeConfig defaults(int workers, WorkerCommand command) {
        return new DistributeConfig(
                workers,
                100_000,
                3,
                Duration.ofMinutes(10),
                Set.of(),
                "127.0.0.1",
                0,
                Duration.ofMinutes(10),
                256L << 20,
                command,
                0,
                null,
                null);
    }

    /** Defaults for tests: a small queue, short timeouts and memory, workers from this JVM's class path. */
    public static DistributeConfig forTests(int workers, WorkerCommand command) {
        Copy copy = new Copy(defaults(workers, command));
        copy.queueCapacity = 1_000;
        copy.defaultTimeout = Duration.ofSeconds(30);
        copy.bundleBytes = 64L << 20;
        return copy.build();
    }

    public DistributeConfig withTokens(Set<String> newTokens) {
        Copy copy = new Copy(this);
        copy.tokens = newTokens;
        return copy.build();
    }

    public DistributeConfig withPython(int workers, @Nullable PythonCommand command) {
        Copy copy = new Copy(this);
        copy.pythonWorkers = workers;
        copy.pythonCommand = command;
        return copy.build();
    }

    public DistributeConfig withQueueCapacity(int capacity) {
        Copy copy = new Copy(this);
        copy.queueCapacity = capacity;
        return copy.build();
    }

    public DistributeConfig withRetention(Duration newRetention) {
        Copy copy = new Copy(this);
        copy.retention = newRetention;
        return copy.build();
    }

    public DistributeConfig withQueue(String newQueue) {
        Copy copy = new Copy(this);
        copy.queue = newQueue;
        return copy.build();
    }

    /** The fields of a config being copied with changes: one place that lists them all. */
    private static final class Copy {
        int workers;
        int queueCapacity;
        int maxRetries;
        Duration defaultTimeout;
        Set<String> tokens;
        String workerHost;
        int workerPort;
        Duration retention;
        long bundleBytes;
        WorkerCommand workerCommand;
        int pythonWorkers;

        @Nullable
        PythonCommand pythonCommand;

        @Nullable
        String queue;

        Copy(DistributeConfig from) {
            workers = from.workers;
            queueCapacity = from.queueCapacity;
            maxRetries = from.maxRetries;
            defaultTimeout = from.defaultTimeout;
            tokens = from.tokens;
            workerHost = from.workerHost;
            workerPort = from.workerPort;
            retention = from.retention;
            bundleBytes = from.bundleBytes;
            workerCommand = from.workerCommand;
            pythonWorkers = from.pythonWorkers;
            pythonCommand = from.pythonCommand;
            queue = from.queue;
        }

        DistributeConfig build() {
            return new DistributeConfig(
                    workers,
                    queueCapacity,
                    maxRetries,
                    defaultTimeout,
                    tokens,
                    workerHost,
                    workerPort,
                    retention,
                    bundleBytes,
                    workerCommand,
                    pythonWorkers,
                    pythonCommand,
                    queue);
        }
    }
}
