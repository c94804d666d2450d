package io.switchboard.platform.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.platform.ServerConfig;
import io.switchboard.platform.testing.RunningPlatform;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dashboard through a real platform on a free port: page, assets, the stream and shutdown. */
class DashboardTest {

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    private RunningPlatform start(ServerConfig config) {
        RunningPlatform platform = RunningPlatform.start(config, Clock.systemUTC());
        opened.add(platform);
        return platform;
    }

    /** One server-sent event: its id and its JSON data. */
    private record Event(long id, JsonObject data) {}

    /** An open event stream read line by line. */
    private static final class Stream implements AutoCloseable {
        private final BufferedReader reader;
        private final InputStream body;

        Stream(HttpResponse<InputStream> response) {
            this.body = response.body();
            this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        }

        /** The next snapshot event; fails the test if none comes within 10 s. */
        Event next() throws Exception {
            return CompletableFuture.supplyAsync(() -> {
                        try {
                            long id = -1;
                            String line;
                            while ((line = reader.readLine()) != null) {
                                if (line.startsWith("id: ")) {
                                    id = Long.parseLong(line.substring(4));
                                } else if (line.startsWith("data: ")) {
                                    return new Event(id, new JsonObject(line.substring(6)));
                                }
                            }
                            throw new IllegalStateException("stream ended");
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    private Stream open(RunningPlatform platform, String... headers) {
        HttpResponse<InputStream> response = send(platform, headers);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        Stream stream = new Stream(response);
        opened.add(stream);
        return stream;
    }

    private static HttpResponse<InputStream> send(RunningPlatform platform, String... headers) {
        try {
            return platform.client()
                    .send(
                            platform.request("/dashboard/stream", headers).GET().build(),
                            HttpResponse.BodyHandlers.ofInputStream());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void thePageLoadsItsScriptsFromTheServerItselfNeverFromTheInternet() {
        RunningPlatform platform = start(ServerConfig.forTests());

        HttpResponse<String> page = platform.get("/dashboard");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
        assertThat(page.body())
                .contains("/dashboard/assets/uPlot.iife.min.js", "/dashboard/assets/dashboard.js")
                .doesNotContain("http://", "https://");
        for (String asset : List.of("uPlot.iife.min.js", "uPlot.min.css", "dashboard.js", "dashboard.css")) {
            HttpResponse<String> answer = platform.get("/dashboard/assets/" + asset);
            assertThat(answer.statusCode()).as(asset).isEqualTo(200);
            assertThat(answer.body()).as(asset).isNotBlank();
        }
    }

    @Test
    void theStreamSendsTheHistoryAtOnceThenANewSnapshotEverySecond() throws Exception {
        RunningPlatform platform = start(ServerConfig.forTests());
        platform.get("/health/live");

        Stream stream = open(platform);
        Event first = stream.next();
        Event next = stream.next();
        while (next.data().getJsonObject("http") == null
                || !next.data().getJsonObject("http").getJsonObject("routes").containsKey("/health/live")) {
            next = stream.next();
        }

        assertThat(first.id()).isPositive();
        assertThat(next.id()).isGreaterThan(first.id());
        assertThat(next.data().getLong("t")).isGreaterThanOrEqualTo(first.data().getLong("t"));
        assertThat(next.data().getJsonArray("services")).isEmpty();
        assertThat(next.data().fieldNames()).doesNotContain("compute", "relay", "distribute");
    }

    @Test
    void aReconnectingPageGetsOnlyWhatItMissed() throws Exception {
        RunningPlatform platform = start(ServerConfig.forTests());
        Stream first = open(platform);
        first.next();
        Event seen = first.next();

        Stream again = open(platform, "Last-Event-ID", Long.toString(seen.id()));

        assertThat(again.next().id()).isEqualTo(seen.id() + 1);
    }

    @Test
    void openStreamsDoNotCountAgainstTheConcurrencyLimit() throws Exception {
        RunningPlatform platform = start(ServerConfig.forTests().withMaxConcurrentRequests(1));
        open(platform).next();

        assertThat(platform.get("/openapi").statusCode()).isEqualTo(200);
    }

    @Test
    void aGracefulShutdownEndsOpenStreamsInsteadOfWaitingForThem() throws Exception {
        ServerConfig config = new ServerConfig("127.0.0.1", 0, 1, 100, 1 << 20, Duration.ofSeconds(60));
        RunningPlatform platform = RunningPlatform.start(config, Clock.systemUTC());
        Stream stream = open(platform);
        stream.next();

        // Well under the 60 s shutdown timeout: the stream ended instead of being waited for.
        platform.platform().shutdown().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        platform.vertx().close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }
}
