package io.switchboard.app.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.start.Switchboard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Issue 14, defect 1, as a new user met it: on a default {@code serve} (relay to the built-in
 * mock), a path nobody owns used to go round relay → mock prefix → relay 64 times and answer 504
 * after about 2 s; a wrong method on an owned route did the same.
 */
class Issue14Test {

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Switchboard.Running running;

    @BeforeEach
    void start() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--port", "0", "--host", "127.0.0.1", "--event-loops", "1");
        running = Switchboard.start(serve.server.toConfig(), serve.createServices())
                .toCompletionStage()
                .toCompletableFuture()
                .join();
    }

    @AfterEach
    void stop() {
        running.stop().toCompletionStage().toCompletableFuture().join();
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUnownedPathIsRelayedOnceAndAnswersTheMocks404() throws Exception {
        for (String path : List.of("/favicon.ico", "/", "/api/nope", "/fibonacci/5/6")) {
            HttpResponse<String> response = send("GET", path);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("content-type")).contains("application/problem+json");
            // One relay hop: the relay's own Via entry, once.
            assertThat(response.headers().allValues("via"))
                    .as(path)
                    .singleElement()
                    .asString()
                    .doesNotContain(",");
        }
    }

    @Test
    void aWrongMethodOrAcceptOnAnOwnedRouteIsRefusedNotRelayed() throws Exception {
        // serve is ready once its first distribute worker has joined.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .until(() -> send("GET", "/health/ready").statusCode() == 200);
        HttpResponse<String> post = send("POST", "/health/ready");
        HttpResponse<String> delete = send("DELETE", "/events");
        HttpResponse<String> options = send("OPTIONS", "/fibonacci/10");
        HttpResponse<String> xml = send("GET", "/fibonacci/10", "Accept", "application/xml");
        HttpResponse<String> head = send("HEAD", "/health/ready");

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).contains("GET, HEAD");
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("allow")).contains("GET, HEAD, POST");
        assertThat(options.statusCode()).isEqualTo(405);
        assertThat(xml.statusCode()).isEqualTo(406);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(List.of(post, delete, options, xml, head))
                .allSatisfy(r -> assertThat(r.headers().allValues("via")).isEmpty());
    }

    @Test
    void theBuiltInMocksRoutesStillAnswerThroughTheRelay() throws Exception {
        HttpResponse<String> response = send("GET", "/restaurant");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("restaurants");
    }
}
