package io.switchboard.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.app.cli.LayeredDefaults;
import io.switchboard.platform.Service;
import io.switchboard.platform.testing.RunningPlatform;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FanoutOptionsTest {

    @TempDir
    Path dir;

    private ServeCommand parse(Map<String, String> environment, String... args) {
        ServeCommand command = new ServeCommand();
        CommandLine commandLine = new CommandLine(command);
        commandLine.setDefaultValueProvider(new LayeredDefaults(environment, null));
        commandLine.parseArgs(args);
        return command;
    }

    @Test
    void theSeedsEnvironmentNamesConfigureFanoutWithMillisecondTimeouts() {
        ServeCommand command = parse(
                Map.of("REMOTE_URL", "http://backend:8080/api/work", "REQUEST_TIMEOUT", "5000", "REQUESTS_LIMIT", "7"));

        assertThat(command.fanout.remoteUrl).isEqualTo("http://backend:8080/api/work");
        assertThat(command.fanout.requestTimeout).isEqualTo(Duration.ofSeconds(5));
        assertThat(command.fanout.requestsLimit).isEqualTo(7);
        assertThat(command.fanout.hedgeDelay).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aRemoteUrlThatIsNotHttpIsRefusedNamingTheOption() {
        ServeCommand command = parse(Map.of(), "--remote-url", "ftp://backend/api/work", "--data-dir", dir.toString());

        assertThatThrownBy(command::createServices)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--remote-url must be an absolute http(s) URL");
    }

    @Test
    void aRequestTimeoutInTheSeedsSecondsIsRefusedWithAHint() {
        ServeCommand command = parse(Map.of("REQUEST_TIMEOUT", "5"), "--data-dir", dir.toString());

        assertThatThrownBy(command::createServices)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--request-timeout is in milliseconds: 5 ms")
                .hasMessageContaining("write 5s or 5000");
    }

    @Test
    void withoutARemoteUrlServeCallsItsBuiltInWorkMock() {
        ServeCommand command = parse(Map.of(), "--only", "fanout", "--data-dir", dir.toString());
        List<Service> services = command.createServices();

        try (RunningPlatform platform = RunningPlatform.start(services.toArray(Service[]::new))) {
            HttpResponse<String> response = platform.get("/api/within-timeout?timeout=3000");

            assertThat(response.statusCode()).isEqualTo(200);
            // The three attempts went to the mock mounted in the same server.
            assertThat(new io.vertx.core.json.JsonArray(
                            platform.get("/_mock/work/requests").body()))
                    .hasSize(3);
        }
    }
}
