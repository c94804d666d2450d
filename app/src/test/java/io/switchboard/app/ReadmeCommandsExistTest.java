package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The commands the READMEs show exist: every {@code switchboard SUBCOMMAND --flag} in a shell code
 * block or a code span names a real subcommand (or one of the launcher's own: test, build, ...) and
 * options that subcommand has. Nothing is run; the command model answers. A renamed option then
 * fails here instead of in a reader's terminal.
 */
class ReadmeCommandsExistTest {

    /** The repository root: surefire runs app's tests in {@code app/}. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** A command line: {@code switchboard}, {@code ./switchboard} or {@code bin/switchboard}, then words. */
    private static final Pattern COMMAND =
            Pattern.compile("(?:^|[\\s(\"'])(?:[\\w./-]*/)?switchboard((?:[ \\t]+[^\\s`|;&#)]+)+)");

    /** A command of the launcher script: a {@code case} label alone on its line, {@code   test)}. */
    private static final Pattern CASE_LABEL = Pattern.compile("^\\s+([a-z]+)\\)\\s*$", Pattern.MULTILINE);

    /** Fenced blocks read as commands: untagged or tagged as shell; {@code text}, yaml, java... are not. */
    private static final Set<String> SHELL_BLOCKS = Set.of("", "bash", "sh", "shell", "console");

    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

    record Mention(Path file, int line, List<String> words) {
        @Override
        public String toString() {
            return ROOT.relativize(file) + ":" + line + ": switchboard " + String.join(" ", words);
        }
    }

    @Test
    void everyCommandTheReadmesShowExistsWithItsOptions() throws IOException {
        CommandLine model = Main.commandLine(new String[0], Map.of());
        Set<String> launcherCommands = launcherCommands();
        List<Mention> mentions = mentions();
        List<String> wrong = new ArrayList<>();
        for (Mention mention : mentions) {
            check(model, launcherCommands, mention).ifPresent(wrong::add);
        }

        assertThat(mentions).as("commands found in the READMEs").hasSizeGreaterThan(20);
        assertThat(wrong).as("README commands the executable does not have").isEmpty();
    }

    @Test
    void aRenamedOptionOrAnUnknownSubcommandIsCaught() {
        CommandLine model = Main.commandLine(new String[0], Map.of());
        Set<String> launcherCommands = launcherCommands();
        Path readme = ROOT.resolve("README.md");

        assertThat(check(model, launcherCommands, new Mention(readme, 1, List.of("serve", "--prot", "9000"))))
                .hasValueSatisfying(problem -> assertThat(problem).contains("serve has no option --prot"));
        assertThat(check(model, launcherCommands, new Mention(readme, 1, List.of("serv"))))
                .hasValueSatisfying(problem -> assertThat(problem).contains("no subcommand 'serv'"));
        assertThat(check(model, launcherCommands, new Mention(readme, 1, List.of("eye", "keys", "create", "--scope"))))
                .isEmpty();
        assertThat(check(model, launcherCommands, new Mention(readme, 1, List.of("test", "-Dtest=X"))))
                .isEmpty();
    }

    /** What is wrong with one mention, if anything. */
    private static Optional<String> check(CommandLine model, Set<String> launcherCommands, Mention mention) {
        String first = mention.words().getFirst();
        if (first.startsWith("-")) {
            return model.getCommandSpec().findOption(first) == null
                    ? Optional.of(mention + ": switchboard has no option " + first)
                    : Optional.empty();
        }
        if (launcherCommands.contains(first)) {
            return Optional.empty(); // the launcher passes the rest to Maven
        }
        CommandLine command = model.getSubcommands().get(first);
        if (command == null) {
            return Optional.of(mention + ": no subcommand '" + first + "'");
        }
        for (String word : mention.words().subList(1, mention.words().size())) {
            // Brackets mark optional parts in usage lines; quotes and full stops belong to the prose.
            String token = word.replaceAll("^\\[|[\\]'\",.:]+$", "");
            CommandLine sub = command.getSubcommands().get(token);
            if (sub != null) {
                command = sub;
            } else if (token.startsWith("-") && token.length() > 1 && !token.equals("--")) {
                String option = token.split("=", 2)[0];
                if (command.getCommandSpec().findOption(option) == null) {
                    return Optional.of(
                            mention + ": " + command.getCommandSpec().qualifiedName(" ") + " has no option " + option);
                }
            }
        }
        return Optional.empty();
    }

    /** The commands the {@code switchboard} launcher script handles itself (its case labels). */
    private static Set<String> launcherCommands() {
        try {
            Set<String> names = new TreeSet<>();
            Matcher matcher = CASE_LABEL.matcher(Files.readString(ROOT.resolve("switchboard")));
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code switchboard ...} in a fenced code block or a code span of a README or ARCHITECTURE.md. */
    private static List<Mention> mentions() throws IOException {
        List<Mention> mentions = new ArrayList<>();
        for (Path file : documents()) {
            List<String> lines = Files.readAllLines(file);
            boolean fenced = false;
            boolean shell = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.stripLeading().startsWith("```")) {
                    fenced = !fenced;
                    shell = fenced
                            && SHELL_BLOCKS.contains(line.strip().substring(3).strip());
                    continue;
                }
                List<String> code = new ArrayList<>();
                if (fenced) {
                    if (shell) {
                        code.add(line);
                    }
                } else {
                    Matcher span = CODE_SPAN.matcher(line);
                    while (span.find()) {
                        code.add(span.group(1));
                    }
                }
                for (String text : code) {
                    Matcher command = COMMAND.matcher(text);
                    while (command.find()) {
                        List<String> words = List.of(command.group(1).trim().split("[ \\t]+"));
                        if (words.getFirst().matches("[a-z][a-z-]*|--?[a-z-]+")) {
                            mentions.add(new Mention(file, i + 1, words));
                        }
                    }
                }
            }
        }
        return mentions;
    }

    private static List<Path> documents() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT, 3)) {
            return files.filter(p -> {
                        String name = p.getFileName().toString();
                        return name.equals("README.md") || name.equals("ARCHITECTURE.md");
                    })
                    .filter(p -> !p.toString().contains("node_modules")
                            && !p.toString().contains("/target/"))
                    .sorted()
                    .toList();
        }
    }
}
