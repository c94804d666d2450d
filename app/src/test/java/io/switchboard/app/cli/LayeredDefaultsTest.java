package io.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class LayeredDefaultsTest {

    @Command(
            name = "switchboard",
            subcommands = {Serve.class, Mock.class})
    static final class Root {}

    @Command(name = "serve")
    static final class Serve {
        @Option(names = "--remote-url", defaultValue = "http://default")
        String remoteUrl;

        @Option(names = "--config")
        Path config;
    }

    @Command(name = "mock")
    static final class Mock {
        @Option(names = "--port", defaultValue = "8090")
        int port;
    }

    @TempDir
    Path dir;

    private Serve parseServe(Map<String, String> env, String... args) {
        CommandLine cli = new CommandLine(new Root());
        cli.setDefaultValueProvider(LayeredDefaults.fromArgs(args, env));
        return (Serve) cli.parseArgs(args).subcommand().commandSpec().userObject();
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFileWhichBeatsDefaults() throws Exception {
        Path yaml = Files.writeString(dir.resolve("switchboard.yaml"), "remote-url: http://file\n");

        assertThat(parseServe(Map.of(), "serve").remoteUrl).isEqualTo("http://default");
        assertThat(parseServe(Map.of(), "serve", "--config", yaml.toString()).remoteUrl)
                .isEqualTo("http://file");
        assertThat(parseServe(Map.of("REMOTE_URL", "http://env"), "serve", "--config", yaml.toString()).remoteUrl)
                .isEqualTo("http://env");
        assertThat(parseServe(
                                Map.of("REMOTE_URL", "http://env"),
                                "serve",
                                "--config",
                                yaml.toString(),
                                "--remote-url",
                                "http://flag")
                        .remoteUrl)
                .isEqualTo("http://flag");
    }

    @Test
    void configFileCanBeNamedByTheEnvironment() throws Exception {
        Path yaml = Files.writeString(dir.resolve("c.yaml"), "remote-url: http://file\n");

        assertThat(parseServe(Map.of("SWITCHBOARD_CONFIG", yaml.toString()), "serve").remoteUrl)
                .isEqualTo("http://file");
    }

    @Test
    void optionsOfOtherSubcommandsArePrefixedWithTheirName() {
        String[] args = {"mock"};
        CommandLine cli = new CommandLine(new Root());
        cli.setDefaultValueProvider(LayeredDefaults.fromArgs(args, Map.of("PORT", "1", "MOCK_PORT", "9999")));

        Mock mock = (Mock) cli.parseArgs(args).subcommand().commandSpec().userObject();

        assertThat(mock.port).isEqualTo(9999);
    }

    @Test
    void aMissingConfigFileIsAClearError() {
        assertThatThrownBy(() -> LayeredDefaults.fromArgs(new String[] {"serve", "--config=/nope.yaml"}, Map.of()))
                .hasMessage("configuration file /nope.yaml does not exist");
    }
}
