package io.switchboard.distribute.supervise;

import io.switchboard.distribute.dispatch.Dispatcher;
import io.switchboard.distribute.link.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises the local worker processes of {@code serve}: starts one process per slot ({@code w-1}
 * … {@code w-N}), reports each exit to the dispatcher with its exit code, and starts a replacement
 * at once. A slot whose process keeps dying right after start is restarted with a growing delay, so
 * a worker that cannot start (a broken class path, no memory) does not become a fork loop.
 *
 * <p>No worker outlives {@code serve}: {@link #stop} ends them, a shutdown hook ends them if the
 * JVM exits otherwise, and each worker halts by itself when its link closes (which covers a
 * {@code serve} killed with SIGKILL).
 */
public final class LocalWorkers {

    private static final Logger log = LoggerFactory.getLogger(LocalWorkers.class);

    /** A process that lived less than this counts as failing at start, for the restart delay. */
    private static final Duration QUICK_DEATH = Duration.ofSeconds(2);

    /** Longest delay between restarts of a slot that keeps failing at start. */
    private static final Duration MAX_RESTART_DELAY = Duration.ofSeconds(10);

    /** How long {@link #stop} waits for each killed worker to be reaped. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final int count;
    /** Null only when {@code count} is 0: the config requires a command for any worker. */
    private final @Nullable WorkerLaunch command;

    private final String token;
    private final Dispatcher dispatcher;
    private final ScheduledExecutorService timers;
    private final Map<String, Running> processes = new ConcurrentHashMap<>();
    private final Thread shutdownHook = new Thread(this::killAll, "distribute-workers-shutdown");
    private volatile boolean stopping;
    /** The link server's host, set by {@link #start} before any process is launched. */
    private volatile @Nullable String host;

    private volatile int port;

    private record Running(Process process, long startedNanos, int quickDeaths) {}

    public LocalWorkers(
            int count,
            @Nullable WorkerLaunch command,
            String token,
            Dispatcher dispatcher,
            ScheduledExecutorService timers) {
        this.count = count;
        this.command = command;
        this.token = token;
        this.dispatcher = dispatcher;
        this.timers = timers;
    }

    /** Starts the processes; they connect to the link server at {@code host:port}. */
    public void start(String host, int port) {
        if (count == 0) {
            return;
        }
        this.host = host;
        this.port = port;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        for (int i = 1; i <= count; i++) {
            launch(command().idPrefix() + i, 0);
        }
        log.atInfo()
                .addKeyValue("workers", count)
                .addKeyValue("language", command().language())
                .log(
                        "started {} local {} worker processes connecting to {}:{}",
                        count,
                        command().language(),
                        host,
                        port);
    }

    /** The launch command; only called with processes to launch, which the config gives one. */
    private WorkerLaunch command() {
        return Objects.requireNonNull(command, "workers to launch come with a command (the config checks it)");
    }

    /** Whether this id is one of our slots (its loss is reported here, with the exit code). */
    public boolean supervises(String workerId) {
        return processes.containsKey(workerId);
    }

    /** Kills the slot's process, if it is still the one with {@code pid} (null: whichever it is). */
    public void kill(String workerId, @Nullable Long pid) {
        Running running = processes.get(workerId);
        if (running != null && (pid == null || running.process.pid() == pid)) {
            running.process.destroyForcibly();
        }
    }

    /** Process ids of the live workers, for tests and diagnostics. */
    public List<Long> pids() {
        return processes.values().stream()
                .filter(r -> r.process.isAlive())
                .map(r -> r.process.pid())
                .toList();
    }

    private void launch(String workerId, int quickDeaths) {
        if (stopping) {
            return;
        }
        String linkHost = Objects.requireNonNull(host, "start sets the link's host before launching");
        ProcessBuilder builder = new ProcessBuilder(command().argv(linkHost, port, workerId))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put(Message.TOKEN_ENV, token);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            log.atError().addKeyValue("worker", workerId).log("cannot start worker {}: {}", workerId, e.getMessage());
            dispatcher.workerStarting(workerId, true, command().language(), null);
            scheduleRestart(workerId, quickDeaths + 1);
            return;
        }
        processes.put(workerId, new Running(process, System.nanoTime(), quickDeaths));
        if (stopping) {
            // stop() ran while this process was being started: it must not outlive serve either.
            process.destroyForcibly();
        }
        dispatcher.workerStarting(workerId, true, command().language(), process.pid());
        var _ = process.onExit().thenAccept(exited -> onExit(workerId, exited));
    }

    // The very process this slot started, not an earlier one of the same worker.
    @SuppressWarnings("ReferenceEquality")
    private void onExit(String workerId, Process exited) {
        Running running = processes.get(workerId);
        if (running == null || running.process != exited) {
            return;
        }
        int exitCode = exited.exitValue();
        dispatcher.workerLost(workerId, null, exitCode);
        if (stopping) {
            return;
        }
        // A worker killed from outside (SIGKILL 137, SIGTERM 143) is replaced at once; one that
        // dies by itself right after start is failing to start, and is retried with a delay.
        boolean killed = exitCode == 137 || exitCode == 143;
        boolean quick = !killed && System.nanoTime() - running.startedNanos < QUICK_DEATH.toNanos();
        int quickDeaths = quick ? running.quickDeaths + 1 : 0;
        log.atWarn()
                .addKeyValue("worker", workerId)
                .addKeyValue("exit_code", exitCode)
                .log("worker {} exited with code {}; starting a replacement", workerId, exitCode);
        scheduleRestart(workerId, quickDeaths);
    }

    private void scheduleRestart(String workerId, int quickDeaths) {
        if (quickDeaths <= 1) {
            launch(workerId, quickDeaths);
            return;
        }
        long delayMs = Math.min(MAX_RESTART_DELAY.toMillis(), 250L << Math.min(quickDeaths, 10));
        var _ = timers.schedule(() -> launch(workerId, quickDeaths), delayMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Ends every worker. They hold no state worth a graceful exit (running tasks have finished or
     * run out of shutdown time), so SIGKILL, which also spares user shutdown hooks a half-stopped JVM.
     */
    public void stop() {
        stopping = true;
        if (count == 0) {
            return;
        }
        for (Running running : processes.values()) {
            running.process.destroyForcibly();
        }
        for (Running running : processes.values()) {
            try {
                running.process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; it does the same.
        }
    }

    private void killAll() {
        stopping = true;
        processes.values().forEach(r -> r.process.destroyForcibly());
    }
}
