package io.switchboard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies option values the command line left out, giving configuration its precedence: flags &gt;
 * environment variables &gt; the YAML file &gt; the defaults written on the options.
 *
 * <p>Names are derived, never listed twice. For {@code serve}, option {@code --remote-url} reads
 * environment variable {@code REMOTE_URL} and YAML key {@code remote-url}. Options of other
 * subcommands carry the subcommand's name, so they cannot collide with the server's: {@code mock
 * --port} reads {@code MOCK_PORT} and YAML key {@code mock-port}.
 */
public final class LayeredDefaults implements IDefaultValueProvider {

    /** Option that names the YAML file; read before parsing, since it feeds every other default. */
    public static final String CONFIG_OPTION = "--config";

    /** Environment variable naming the YAML file when {@code --config} is absent. */
    public static final String CONFIG_ENV = "SWITCHBOARD_CONFIG";

    private final Map<String, String> environment;
    private final @Nullable JsonNode file;

    public LayeredDefaults(Map<String, String> environment, @Nullable JsonNode file) {
        this.environment = Map.copyOf(environment);
        this.file = file;
    }

    /** Reads the YAML file named by {@code --config FILE}, {@code --config=FILE} or the environment. */
    public static LayeredDefaults fromArgs(String[] args, Map<String, String> environment) {
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(CONFIG_OPTION) && i + 1 < args.length) {
                config = Path.of(args[i + 1]);
            } else if (args[i].startsWith(CONFIG_OPTION + "=")) {
                config = Path.of(args[i].substring(CONFIG_OPTION.length() + 1));
            }
        }
        if (config == null && environment.get(CONFIG_ENV) != null) {
            config = Path.of(environment.get(CONFIG_ENV));
        }
        return new LayeredDefaults(environment, config == null ? null : readYaml(config));
    }

    private static JsonNode readYaml(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("configuration file " + path + " does not exist");
        }
        try {
            JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
            if (node != null && !node.isNull() && !node.isObject()) {
                throw new IllegalArgumentException("configuration file " + path + " must hold a map of option: value");
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a YAML key no option of {@code root}'s command tree reads, naming it and the closest
     * known key: a typo ({@code compute-max-digit}) must not start the server on a default.
     */
    public void checkKeys(CommandSpec root) {
        if (file == null || file.isNull()) {
            return;
        }
        Set<String> known = new TreeSet<>();
        collectKeys(root, known);
        for (Iterator<String> names = file.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!known.contains(key)) {
                throw new IllegalArgumentException("configuration file: unknown key '" + key + "'"
                        + closest(key, known)
                                .map(k -> "; did you mean '" + k + "'?")
                                .orElse(""));
            }
        }
    }

    private static void collectKeys(CommandSpec command, Set<String> known) {
        for (OptionSpec option : command.options()) {
            if (!option.usageHelp()
                    && !option.versionHelp()
                    && !option.longestName().equals(CONFIG_OPTION)) {
                known.add(environmentName(option).toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        }
        command.subcommands().values().forEach(sub -> collectKeys(sub.getCommandSpec(), known));
    }

    /** The known key at the smallest edit distance, if it is close enough to be the one meant. */
    static Optional<String> closest(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(key, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? Optional.ofNullable(best) : Optional.empty();
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    @Override
    public @Nullable String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option) || option.longestName().equals(CONFIG_OPTION)) {
            return null;
        }
        String key = environmentName(option).toLowerCase(Locale.ROOT).replace('_', '-');
        String fromEnvironment = environment.get(environmentName(option));
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        if (file != null && file.has(key)) {
            JsonNode value = file.get(key);
            return value.isArray() ? joined(value) : value.asText();
        }
        return null;
    }

    /** The command whose options map to unprefixed names: the server's, the seeds' names. */
    private static final String UNPREFIXED_COMMAND = "serve";

    /**
     * Options that name one setting of the installation, whatever the command: {@code eye keys
     * --data-dir} is the directory {@code serve --data-dir} uses, so both read {@code DATA_DIR}.
     */
    private static final Set<String> SHARED_SETTINGS = Set.of("data-dir");

    /**
     * {@code serve --remote-url} → {@code REMOTE_URL}; {@code mock --port} → {@code MOCK_PORT};
     * {@code eye keys --data-dir} → {@code DATA_DIR} (a shared setting).
     */
    public static String environmentName(OptionSpec option) {
        String name = option.longestName().replaceFirst("^-+", "");
        if (SHARED_SETTINGS.contains(name)) {
            return name.replace('-', '_').toUpperCase(Locale.ROOT);
        }
        CommandSpec command = option.command();
        while (command != null && command.parent() != null && command.parent().parent() != null) {
            command = command.parent(); // the subcommand directly under `switchboard`
        }
        if (command != null && command.parent() != null && !command.name().equals(UNPREFIXED_COMMAND)) {
            name = command.name() + "-" + name;
        }
        return name.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static String joined(JsonNode array) {
        StringBuilder out = new StringBuilder();
        array.forEach(item -> out.append(out.isEmpty() ? "" : ",").append(item.asText()));
        return out.toString();
    }
}
