package io.switchboard.app.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./switchboard dist}'s archive runs on a machine without a JDK: built once from the shaded
 * jar ({@code deploy/dist/make-dist.sh}, as the launcher does), unpacked, and started with an empty
 * {@code PATH} (so no {@code java} can be found) and no {@code JAVA_HOME}; it gets ready, answers,
 * runs a task on a worker process it started from its own runtime, uses its AOT cache without a
 * warning, and exits 0 on SIGTERM. Runs in {@code verify}, after {@code package} made the jar.
 */
class DistIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JAR = ROOT.resolve("app/target/switchboard.jar");

    /** The line serve logs once it listens, with the port it got. */
    private static final Pattern LISTENING = Pattern.compile("switchboard listening on .*\"port\":(\\d+)");

    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void theArchiveRunsWithNoJdkOnThePathAndStopsCleanly() throws Exception {
        Path jdk = Path.of(System.getProperty("java.home"));
        assumeTrue(Files.isExecutable(jdk.resolve("bin/jlink")), "SKIPPED: " + jdk + " has no jlink (a JRE)");
        assertThat(JAR).as("the shaded jar `package` builds").exists();

        Path archive = build(jdk);
        Path home = unpack(archive);
        assertThat(home.resolve("runtime/bin/java")).isExecutable();
        assertThat(home.resolve("runtime/bin/javac"))
                .as("a trimmed runtime, not a JDK")
                .doesNotExist();
        assertThat(home.resolve("lib/switchboard.aot")).exists();

        Path log = dir.resolve("serve.log");
        Path emptyBin = Files.createDirectory(dir.resolve("empty-bin"));
        ProcessBuilder serve = new ProcessBuilder(
                        home.resolve("bin/switchboard").toString(),
                        "serve",
                        "--port",
                        "0",
                        "--host",
                        "127.0.0.1",
                        "--event-loops",
                        "1",
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--distribute-workers",
                        "1",
                        "--distribute-python-workers",
                        "0")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = serve.environment();
        environment.clear();
        environment.put("PATH", emptyBin.toString());
        environment.put("HOME", dir.toString());
        Process process = serve.start();
        try {
            int port = Awaitility.await("serve listening (log: " + log + ")")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> port(log), Optional::isPresent)
                    .orElseThrow();
            String base = "http://127.0.0.1:" + port;
            Awaitility.await("ready")
                    .ignoreExceptions()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> get(base + "/health/ready").statusCode() == 200);

            assertThat(process.info().command())
                    .contains(home.resolve("runtime/bin/java").toString());
            assertThat(get(base + "/fibonacci/90").body()).contains("\"result\":\"2880067194370816120\"");
            HttpResponse<String> task = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/distribute/tasks?wait=30s"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"function\":\"sleep\",\"args\":[1]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(task.body()).contains("\"state\":\"SUCCEEDED\"");
        } finally {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("stopped on SIGTERM")
                    .isTrue();
        }
        String output = Files.readString(log);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output)
                .as("the JVM's warnings (a refused AOT cache would be one)")
                .doesNotContain("[warning]");
    }

    private Path build(Path jdk) throws IOException, InterruptedException {
        ProcessBuilder make = new ProcessBuilder(
                        ROOT.resolve("deploy/dist/make-dist.sh").toString(),
                        JAR.toString(),
                        dir.resolve("dist").toString())
                .redirectErrorStream(true);
        make.environment().put("JAVA_HOME", jdk.toString());
        make.environment().remove("SWITCHBOARD_AOT"); // build what ships, AOT cache included
        Run run = run(make, Duration.ofMinutes(5));
        assertThat(run.exitCode()).as(run.output()).isZero();
        List<String> lines = run.output().lines().toList();
        Path archive = Path.of(lines.getLast());
        assertThat(archive.getFileName().toString()).matches("switchboard-.+-linux-.+\\.tar\\.gz");
        return archive;
    }

    private Path unpack(Path archive) throws IOException, InterruptedException {
        Path target = Files.createDirectory(dir.resolve("unpacked"));
        Run run = run(
                new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", target.toString())
                        .redirectErrorStream(true),
                Duration.ofMinutes(2));
        assertThat(run.exitCode()).as(run.output()).isZero();
        try (Stream<Path> entries = Files.list(target)) {
            return entries.findFirst().orElseThrow();
        }
    }

    private static Optional<Integer> port(Path log) throws IOException {
        if (!Files.exists(log)) {
            return Optional.empty();
        }
        Matcher matcher = LISTENING.matcher(Files.readString(log));
        return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What a command printed and how it ended. */
    private record Run(int exitCode, String output) {}

    private static Run run(ProcessBuilder builder, Duration timeout) throws IOException, InterruptedException {
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return new Run(-1, output + "\n(timed out)");
        }
        return new Run(process.exitValue(), output);
    }
}
