package io.switchboard.app.distribute;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.MainAccess;
import io.switchboard.distribute.DistributeConfig;
import io.switchboard.distribute.DistributeService;
import io.switchboard.distribute.supervise.WorkerCommand;
import io.switchboard.platform.testing.RunningPlatform;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchboard distribute} against a real server with one real worker process. */
class DistributeCommandTest {

    @TempDir
    static Path dir;

    private static RunningPlatform platform;
    private static String url;

    @BeforeAll
    static void start() {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        DistributeService service = new DistributeService(
                DistributeConfig.forTests(1, WorkerCommand.sameJvm("96m").withClassPath(classPath)));
        platform = RunningPlatform.start(service);
        url = "http://127.0.0.1:" + platform.port();
        Awaitility.await().until(() -> platform.get("/distribute/stats").body().contains("\"idle_workers\":1"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void runPrintsABuiltInsJsonResult() {
        MainAccess.Run run =
                MainAccess.run(Map.of("DISTRIBUTE_URL", url), "distribute", "run", "echo", "{\"a\":[1,2]}");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"a\"").contains("1").contains("2");
    }

    @Test
    void aDeployedJarsStaticMethodRunsByName() throws Exception {
        Path jar = dir.resolve("tasks.jar");
        try (OutputStream file = Files.newOutputStream(jar);
                ZipOutputStream zip = new ZipOutputStream(file)) {
            String entry = SquareTasks.class.getName().replace('.', '/') + ".class";
            zip.putNextEntry(new ZipEntry(entry));
            try (InputStream in = SquareTasks.class.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(zip);
            }
        }

        MainAccess.Run deployed = MainAccess.run(Map.of(), "distribute", "deploy", jar.toString(), "--url", url);
        String bundle = deployed.out().strip();
        MainAccess.Run ran = MainAccess.run(
                Map.of(),
                "distribute",
                "run",
                SquareTasks.class.getName() + "::square",
                "12",
                "--bundle",
                bundle,
                "--url",
                url);

        assertThat(deployed.exit()).as(deployed.err()).isZero();
        assertThat(bundle).matches("[0-9a-f]{64}");
        assertThat(ran.exit()).as(ran.err()).isZero();
        assertThat(ran.out().strip()).isEqualTo("144");
    }

    @Test
    void aFailingFunctionExitsWithOneAndSaysWhy() {
        MainAccess.Run run = MainAccess.run(Map.of(), "distribute", "run", "fail", "nope", "--url", url);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("USER").contains("nope");
    }

    @Test
    void statsAndWorkersPrintTheServersJson() {
        assertThat(MainAccess.run(Map.of(), "distribute", "stats", "--url", url).out())
                .contains("queued_tasks");
        assertThat(MainAccess.run(Map.of(), "distribute", "workers", "--url", url)
                        .out())
                .contains("\"w-1\"");
    }
}
