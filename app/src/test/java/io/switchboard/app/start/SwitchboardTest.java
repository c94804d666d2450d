package io.switchboard.app.start;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.compute.ComputeConfig;
import io.switchboard.compute.ComputeService;
import io.switchboard.platform.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The wiring `serve` uses, end to end over a real socket. */
class SwitchboardTest {

    @Test
    void startsServicesBehindThePlatformAndStopsGracefully() throws Exception {
        Switchboard.Running running = Switchboard.start(
                        ServerConfig.forTests(), List.of(new ComputeService(ComputeConfig.defaults())))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        HttpClient client = HttpClient.newHttpClient();
        try {
            HttpResponse<String> fib = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.port() + "/fibonacci/10"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> ready = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.port() + "/health/ready"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(fib.body()).contains("\"result\":\"55\"");
            assertThat(ready.body()).contains("\"compute\":\"UP\"");
        } finally {
            running.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
