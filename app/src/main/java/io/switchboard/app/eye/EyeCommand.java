package io.switchboard.app.eye;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code switchboard eye}: tools around the eye service (API keys, sending events). */
@Command(
        name = "eye",
        mixinStandardHelpOptions = true,
        description = "Tools for the eye event collector: manage API keys, send events.",
        subcommands = {KeysCommand.class, SendCommand.class})
public final class EyeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
