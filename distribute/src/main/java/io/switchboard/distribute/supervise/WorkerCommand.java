package io.switchboard.distribute.supervise;

import io.switchboard.distribute.dispatch.Language;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start a local worker process: a JVM running {@code WorkerMain} from the server's own
 * class path (the executable jar in production), with a small heap and the serial collector, since
 * a worker runs one task at a time and starting fast matters more than throughput of a big heap.
 *
 * @param java the java binary
 * @param classPath the worker's class path
 * @param jvmOptions options before the main class, e.g. {@code -Xmx256m}
 */
public record WorkerCommand(String java, String classPath, List<String> jvmOptions) implements WorkerLaunch {

    /** The worker's entry point. */
    static final String MAIN_CLASS = "io.switchboard.distribute.worker.WorkerMain";

    public WorkerCommand {
        jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * The JVM and class path this process runs on, with a worker heap of {@code heap} (e.g. {@code
     * 256m}). An ahead-of-time cache this JVM started with is passed on: it was trained on the same
     * jar, and a worker that starts in half the time is replaced in half the time.
     */
    public static WorkerCommand sameJvm(String heap) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> options = new ArrayList<>(List.of(
                "-Xmx" + heap,
                "-XX:+UseSerialGC",
                // An out-of-memory function ends its worker (exit code 3), which the dispatcher
                // reports as a crash, rather than leaving a JVM in doubt.
                "-XX:+ExitOnOutOfMemoryError",
                "-Dswitchboard.log.level=WARN"));
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("-XX:AOTCache=")) {
                options.add(argument);
                options.add("-Xlog:aot=off"); // a worker's cache mismatch is no error worth a line
            }
        }
        return new WorkerCommand(java, System.getProperty("java.class.path"), options);
    }

    public WorkerCommand withClassPath(String classPath) {
        return new WorkerCommand(java, classPath, jvmOptions);
    }

    @Override
    public Language language() {
        return Language.JAVA;
    }

    @Override
    public String idPrefix() {
        return "w-";
    }

    @Override
    public List<String> argv(String host, int port, String workerId) {
        List<String> argv = new ArrayList<>();
        argv.add(java);
        argv.addAll(jvmOptions);
        argv.add("-cp");
        argv.add(classPath);
        argv.add(MAIN_CLASS);
        argv.add("--connect");
        argv.add(host + ":" + port);
        argv.add("--id");
        argv.add(workerId);
        return argv;
    }
}
