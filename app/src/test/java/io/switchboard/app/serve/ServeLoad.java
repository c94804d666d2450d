package io.switchboard.app.serve;

import io.switchboard.app.start.Switchboard;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;

/** A mixed load on every service of a running serve, one virtual thread per kind of request, until stopped. */
final class ServeLoad {
    private static final DateTimeFormatter EYE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final String base;
    private final String eyeKey;
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    ServeLoad(String base, String eyeKey) {
        this.base = base;
        this.eyeKey = eyeKey;
    }

    /** serve with every service on a free loopback port: two distribute workers, eye on SQLite in {@code dataDir}. */
    static Switchboard.Running startEverything(Path dataDir, String eyeKey) throws Exception {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve)
                .parseArgs(
                        "--port", "0",
                        "--host", "127.0.0.1",
                        "--event-loops", "1",
                        "--data-dir", dataDir.toString(),
                        "--distribute-workers", "2",
                        "--distribute-python-workers", "0",
                        "--eye-api-keys", "web:" + eyeKey);
        return Switchboard.start(serve.server.toConfig(), serve.createServices())
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
    }

    long sent() {
        return sent.get();
    }

    void start() {
        loop(() -> get("/fibonacci/" + ThreadLocalRandom.current().nextInt(1_000, 40_000)));
        loop(() -> get("/factorial/" + ThreadLocalRandom.current().nextInt(100, 3_000)));
        loop(() -> get("/health/live"));
        loop(() -> get(ThreadLocalRandom.current().nextInt(4) == 0 ? "/restaurant?page=" + sent.get() : "/restaurant"));
        loop(() -> get("/api/smart"));
        loop(() -> get("/api/first"));
        loop(() -> post("/distribute/tasks?wait=10s", "{\"function\":\"sleep\",\"args\":[150]}", null));
        loop(() -> post("/events", event(), eyeKey));
    }

    private static String event() {
        return "{\"session_id\":\"s" + ThreadLocalRandom.current().nextInt(20)
                + "\",\"category\":\"page interaction\",\"name\":\"pageview\",\"data\":{\"host\":\"h\",\"path\":\"/\"},"
                + "\"timestamp\":\""
                + EYE_TIME.format(LocalDateTime.now(ZoneOffset.UTC).minusSeconds(1)) + "\"}";
    }

    private void loop(Runnable request) {
        threads.add(Thread.ofVirtual().start(() -> {
            while (running.get()) {
                try {
                    request.run();
                } catch (RuntimeException e) {
                    // A refused or failed request is load too; keep going.
                }
            }
        }));
    }

    private void get(String path) {
        send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    private void post(String path, String body, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        send(request.build());
    }

    private void send(HttpRequest request) {
        try {
            client.send(request, HttpResponse.BodyHandlers.discarding());
            sent.incrementAndGet();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
