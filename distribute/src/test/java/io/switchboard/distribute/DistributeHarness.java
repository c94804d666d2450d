package io.switchboard.distribute;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.distribute.bundle.BundleStore;
import io.switchboard.distribute.dispatch.WorkerState;
import io.switchboard.distribute.supervise.WorkerCommand;
import io.switchboard.platform.ServerConfig;
import io.switchboard.platform.testing.ExternalServices;
import io.switchboard.platform.testing.RunningPlatform;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A real platform with the distribute service and real worker processes on loopback. The workers'
 * class path is this test's without the test classes, so test functions reach them only shipped.
 */
final class DistributeHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final RunningPlatform platform;
    final DistributeService service;

    private DistributeHarness(RunningPlatform platform, DistributeService service) {
        this.platform = platform;
        this.service = service;
    }

    static WorkerCommand workerCommand() {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        return WorkerCommand.sameJvm("96m").withClassPath(classPath);
    }

    /**
     * The queue the tests run on: in this process by default; with the system property {@code
     * distribute.queue} (a NATS URL, set by the build's JetStream run of the same tests), on
     * JetStream, each harness in a namespace of its own so that tests never share tasks.
     */
    static DistributeConfig config(int workers) {
        DistributeConfig config = DistributeConfig.forTests(workers, workerCommand());
        String nats = System.getProperty("distribute.queue");
        if (nats == null || nats.isBlank()) {
            return config;
        }
        ExternalServices.requireNats();
        return config.withQueue(JetStreamNamespaces.fresh(nats));
    }

    static boolean onJetStream() {
        String nats = System.getProperty("distribute.queue");
        return nats != null && !nats.isBlank();
    }

    static DistributeHarness start(DistributeConfig config) {
        return start(config, ServerConfig.forTests());
    }

    static DistributeHarness start(DistributeConfig config, ServerConfig server) {
        DistributeService service = new DistributeService(config);
        RunningPlatform platform = RunningPlatform.start(server, Clock.systemUTC(), service);
        DistributeHarness harness = new DistributeHarness(platform, service);
        harness.awaitIdleWorkers(config.workers() + config.pythonWorkers());
        return harness;
    }

    void awaitIdleWorkers(int count) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> service.dispatcher().workers().stream()
                                .filter(w -> w.state() == WorkerState.IDLE)
                                .count()
                        == count);
    }

    HttpResponse<String> submit(String json, String... headers) {
        return post("?wait=20s", json, headers);
    }

    HttpResponse<String> post(String query, String json, String... headers) {
        return platform.send(platform.request("/distribute/tasks" + query, headers)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    JsonNode get(String path) {
        return json(platform.get(path));
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uploads a jar of the given classes (read from the test class path) and returns its id. */
    String deploy(Class<?>... classes) {
        byte[] jar = jarOf(classes);
        String id = BundleStore.sha256(jar);
        HttpResponse<String> response = platform.send(platform.request("/distribute/bundles/" + id)
                .header("Content-Type", "application/java-archive")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(jar))
                .build());
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new AssertionError("bundle upload answered " + response.statusCode() + ": " + response.body());
        }
        return id;
    }

    static byte[] jarOf(Class<?>... classes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Class<?> type : classes) {
                String entry = type.getName().replace('.', '/') + ".class";
                zip.putNextEntry(new ZipEntry(entry));
                try (InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        platform.close();
        JetStreamNamespaces.delete(service.queueUrl());
    }
}
