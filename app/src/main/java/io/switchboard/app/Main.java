package io.switchboard.app;

import io.switchboard.app.bench.BenchCommand;
import io.switchboard.app.cli.CompletionCommand;
import io.switchboard.app.cli.LayeredDefaults;
import io.switchboard.app.distribute.DistributeCommand;
import io.switchboard.app.eye.EyeCommand;
import io.switchboard.app.lunch.LunchCommand;
import io.switchboard.app.mock.MockCommand;
import io.switchboard.app.serve.ServeCommand;
import io.switchboard.app.serve.TrainCommand;
import io.switchboard.app.worker.WorkerCommand;
import io.switchboard.platform.observability.BuildInfo;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code switchboard} executable: parses the command line and runs one subcommand. */
@Command(
        name = "switchboard",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Switchboard: distribute, fan-out, compute, eye and relay as one executable.",
        subcommands = {
            ServeCommand.class,
            WorkerCommand.class,
            MockCommand.class,
            EyeCommand.class,
            DistributeCommand.class,
            BenchCommand.class,
            LunchCommand.class,
            TrainCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements java.util.concurrent.Callable<Integer> {

    /**
     * Services that keep running log at the configured level; every other command prints results for
     * people or scripts, so it logs only warnings (on stderr) unless {@code LOG_LEVEL} asks for more.
     */
    private static final java.util.Set<String> LONG_RUNNING = java.util.Set.of("serve", "mock", "worker");

    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.getenv());
        flushLogs();
        System.exit(code);
    }

    /**
     * Stops logging, which drains the asynchronous appender's queue: without it, the last lines
     * (those of a graceful shutdown above all) would be lost to {@link System#exit}.
     */
    private static void flushLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.stop();
        }
    }

    /** Runs the command line and returns the exit code; tests call this instead of {@link #main}. */
    static int run(String[] args, Map<String, String> environment) {
        if (args.length > 0 && !LONG_RUNNING.contains(args[0]) && System.getProperty("switchboard.log.level") == null) {
            System.setProperty("switchboard.log.level", environment.getOrDefault("LOG_LEVEL", "WARN"));
        }
        CommandLine commandLine;
        try {
            commandLine = commandLine(args, environment);
        } catch (RuntimeException e) {
            System.err.println("switchboard: " + e.getMessage());
            return 2;
        }
        return commandLine.execute(args);
    }

    static CommandLine commandLine(String[] args, Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(new Main());
        LayeredDefaults defaults = LayeredDefaults.fromArgs(args, environment);
        defaults.checkKeys(commandLine.getCommandSpec());
        commandLine.setDefaultValueProvider(defaults);
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            // One line naming the option and a pointer to the help, not the whole usage.
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                // Configuration and usage errors: one line naming the culprit, no stack trace.
                cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return commandLine;
    }

    /** No subcommand is a usage error: the usage goes to stderr and the exit code is 2. */
    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return 2;
    }

    /** Reports the version and commit the build recorded, and the JVM that runs it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                BuildInfo.current().describe(), "JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version()
            };
        }
    }
}
