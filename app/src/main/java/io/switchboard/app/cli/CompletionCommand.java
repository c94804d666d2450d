package io.switchboard.app.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard completion bash|zsh}: prints a shell completion script for every subcommand
 * and option, generated from the same command model as the parser, so it cannot drift from it.
 * The script is picocli's bash script; zsh runs it through its {@code bashcompinit} layer, which
 * the script enables itself, so both shells get the same text.
 */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Prints a shell completion script on stdout.",
            "bash: source <(switchboard completion bash)   (or save it under /etc/bash_completion.d/)",
            "zsh:  source <(switchboard completion zsh)    (in ~/.zshrc)"
        })
public final class CompletionCommand implements Callable<Integer> {

    /** Shells the script is for. */
    enum Shell {
        bash,
        zsh
    }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        String script = AutoComplete.bash(root.getCommandName(), root);
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
