package io.switchboard.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs the command line as {@code switchboard} does, capturing what it prints, for tests in other packages. */
public final class MainAccess {

    private MainAccess() {}

    public record Run(int exit, String out, String err) {}

    public static Run run(Map<String, String> env, String... args) {
        CommandLine commandLine = Main.commandLine(args, env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
