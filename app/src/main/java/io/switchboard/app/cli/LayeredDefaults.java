package io.switchboard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies option values the command line left out, giving configuration its precedence: flags &gt;
 * environment variables &gt; the YAML file &gt; the defaults written on the options.
 *
 * <p>Names are derived, never listed twice: option {@code --remote-url} reads environment variable
 * {@code REMOTE_URL} and YAML key {@code remote-url} (flat keys, one per option).
 */
public final class LayeredDefaults implements IDefaultValueProvider {

  /** Option that names the YAML file; read before parsing, since it feeds every other default. */
  public static final String CONFIG_OPTION = "--config";

  /** Environment variable naming the YAML file when {@code --config} is absent. */
  public static final String CONFIG_ENV = "SWITCHBOARD_CONFIG";

  private final Map<String, String> environment;
  private final JsonNode file;

  public LayeredDefaults(Map<String, String> environment, JsonNode file) {
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

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option) || option.longestName().equals(CONFIG_OPTION)) {
      return null;
    }
    String key = option.longestName().replaceFirst("^-+", "");
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

  /** {@code --remote-url} → {@code REMOTE_URL}. */
  public static String environmentName(OptionSpec option) {
    return option.longestName().replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private static String joined(JsonNode array) {
    StringBuilder out = new StringBuilder();
    array.forEach(item -> out.append(out.isEmpty() ? "" : ",").append(item.asText()));
    return out.toString();
  }
}
