package io.switchboard.app.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.start.Switchboard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 14, defect 11: the commands the READMEs show work as written. Every fenced block whose info
 * string says {@code checked} (```` ```sh checked ````) is run by bash, line by line, with {@code set
 * -e}, against a real serve of this build:
 *
 * <ul>
 *   <li>a {@code switchboard serve} line (with or without {@code ./} and a trailing {@code &}) is
 *       this test's own serve, on a free port; every {@code localhost:8080} and {@code
 *       127.0.0.1:8080} in the block is rewritten to that port;
 *   <li>{@code switchboard} and {@code ./switchboard} run this build's CLI (same class path);
 *   <li>{@code $KEY} is an eye API key of application {@code web} that the serve accepts; a line
 *       that sets {@code KEY=...} (to make one up) is skipped.
 * </ul>
 *
 * A block fails the test when a command exits non-zero or the block runs over {@link #BLOCK_TIMEOUT_S}.
 */
class ReadmeCommandsTest {

    /** Longest a block may run; blocks are examples and keep their durations short. */
    private static final long BLOCK_TIMEOUT_S = 120;

    /** The eye key $KEY holds. */
    private static final String KEY = "readme-key-0123456789abcdef0123456789";

    private static final Pattern CHECKED_BLOCK =
            Pattern.compile("(?m)^```[a-z]* checked[^\\n]*\\n(.*?)^```", Pattern.DOTALL);

    private static final Pattern SERVE_LINE = Pattern.compile("^(\\./)?switchboard serve\\b.*$", Pattern.MULTILINE);

    private static final Pattern KEY_LINE = Pattern.compile("^KEY=.*$", Pattern.MULTILINE);

    @TempDir
    static Path work;

    private static Switchboard.Running serve;

    @BeforeAll
    static void startServe() {
        ServeCommand command = new ServeCommand();
        new CommandLine(command)
                .parseArgs(
                        "--port", "0",
                        "--host", "127.0.0.1",
                        "--event-loops", "1",
                        "--only", "compute,fanout,relay,eye",
                        "--data-dir", work.resolve("data").toString(),
                        "--eye-api-keys", "web:" + KEY);
        serve = Switchboard.start(command.server.toConfig(), command.createServices())
                .toCompletionStage()
                .toCompletableFuture()
                .join();
    }

    @AfterAll
    static void stopServe() {
        if (serve != null) {
            serve.stop().toCompletionStage().toCompletableFuture().join();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCheckedReadmeBlockRunsAsWritten() throws IOException {
        Path root = repositoryRoot();
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> readmes = Files.walk(root, 2)) {
            for (Path readme : readmes.filter(p -> p.getFileName().toString().equals("README.md"))
                    .filter(p -> !p.toString().contains("node_modules"))
                    .sorted()
                    .toList()) {
                Matcher block = CHECKED_BLOCK.matcher(Files.readString(readme));
                int n = 0;
                while (block.find()) {
                    String script = block.group(1);
                    String name = root.relativize(readme) + " block " + ++n;
                    tests.add(DynamicTest.dynamicTest(name, () -> run(name, script)));
                }
            }
        }
        // The READMEs carry checked blocks (root, compute, bench at least): a rename must not silently drop them.
        assertThat(tests).hasSizeGreaterThanOrEqualTo(3);
        return tests.stream();
    }

    private void run(String name, String block) throws Exception {
        String withoutKey = KEY_LINE.matcher(block).replaceAll(": the key is given");
        String script = SERVE_LINE
                .matcher(withoutKey)
                .replaceAll(": serve is already running")
                .replace("localhost:8080", "127.0.0.1:" + serve.port())
                .replace("127.0.0.1:8080", "127.0.0.1:" + serve.port())
                .replace("./switchboard ", "switchboard ");
        Path bin = shim();
        Path dir = Files.createTempDirectory(work, "block");
        ProcessBuilder builder = new ProcessBuilder("bash", "-e", "-o", "pipefail", "-c", script)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("output.txt").toFile());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("KEY", KEY);
        builder.environment().put("LOG_LEVEL", "WARN");
        Process process = builder.start();
        boolean finished = process.waitFor(BLOCK_TIMEOUT_S, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(dir.resolve("output.txt"));
        assertThat(finished)
                .as("%s ran over %d s; output:%n%s", name, BLOCK_TIMEOUT_S, output)
                .isTrue();
        assertThat(process.exitValue())
                .as("%s exit status; script:%n%s%noutput:%n%s", name, script, output)
                .isZero();
    }

    /** A {@code switchboard} command on PATH that runs this build's CLI. */
    private static Path shim() throws IOException {
        Path bin = work.resolve("bin");
        Path launcher = bin.resolve("switchboard");
        if (!Files.exists(launcher)) {
            Files.createDirectories(bin);
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Files.writeString(
                    launcher,
                    "#!/usr/bin/env bash\nexec '" + java + "' -XX:TieredStopAtLevel=1 -cp '"
                            + System.getProperty("java.class.path") + "' io.switchboard.app.Main \"$@\"\n",
                    StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        assertThat(dir)
                .as("repository root above %s", Path.of("").toAbsolutePath())
                .isNotNull();
        return dir;
    }
}
