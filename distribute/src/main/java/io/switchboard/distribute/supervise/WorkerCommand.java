package io.switchboard.distribute.supervise;

import io.switchboard.distribute.dispatch.Language;
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

    /** The JVM and class path this process runs on, with a worker heap of {@code heap} (e.g. {@code 256m}). */
    public static WorkerCommand sameJvm(String heap) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new WorkerCommand(
                java,
                System.getProperty("java.class.path"),
                List.of(
                        "-Xmx" + heap,
                        "-XX:+UseSerialGC",
                        // An out-of-memory function ends its worker (exit code 3), which the
                        // dispatcher reports as a crash, rather than leaving a JVM in doubt.
                        "-XX:+ExitOnOutOfMemoryError",
                        "-Dswitchboard.log.level=WARN"));
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
