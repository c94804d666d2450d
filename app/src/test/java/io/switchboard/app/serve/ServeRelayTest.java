package io.switchboard.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.app.start.Switchboard;
import io.switchboard.platform.Service;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** serve's relay wiring: with no backend it relays to the built-in mock menu API on its own port. */
class ServeRelayTest {

    private static ServeCommand parse(String... args) {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void serveWithoutABackendRelaysToItsBuiltInMockMenuWithTheDefaultTtl() throws Exception {
        ServeCommand serve = parse("--port", "0", "--host", "127.0.0.1", "--event-loops", "1");
        List<Service> services = serve.createServices();
        assertThat(services).extracting(Service::name).contains("menu-mock", "relay");

        Switchboard.Running running = Switchboard.start(serve.server.toConfig(), services)
                .toCompletionStage()
                .toCompletableFuture()
                .join();
        try {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + running.port() + "/restaurant"))
                    .build();
            HttpResponse<String> first = client.send(request, HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = client.send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).contains("\"restaurants\"", "bistro-j");
            assertThat(first.headers().firstValue("x-cache")).contains("MISS");
            assertThat(second.headers().firstValue("x-cache")).contains("HIT");
        } finally {
            running.stop().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void aConfiguredBackendReplacesTheBuiltInMock() {
        ServeCommand serve = parse("--relay-backend", "https://menu.example/api");

        assertThat(serve.createServices()).extracting(Service::name).doesNotContain("menu-mock");
        assertThat(serve.relay.toConfig().defaultTtl()).isZero();
        assertThat(serve.relay.toConfig().basePath()).isEqualTo("/api");
    }

    @Test
    void anInvalidBackendIsRejectedNamingTheOption() {
        ServeCommand serve = parse("--relay-backend", "ftp://menu.example/api");

        assertThatThrownBy(serve::createServices)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relay backend must be an absolute http(s) URL");
    }
}
