package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.eye.EyeConfig;
import io.switchboard.eye.EyeService;
import io.switchboard.platform.testing.RunningPlatform;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EyeCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    Run run(Map<String, String> env, String... args) {
        CommandLine commandLine = Main.commandLine(args, env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void keysAreCreatedListedWithoutTheSecretAndRevoked() {
        String dataDir = dir.toString();
        Run created = run(Map.of(), "eye", "keys", "create", "web", "--data-dir", dataDir);
        String key = created.out().strip();

        Run listed = run(Map.of("DATA_DIR", dataDir), "eye", "keys", "list");
        Run revoked = run(Map.of(), "eye", "keys", "revoke", "web", "--data-dir", dataDir);
        Run again = run(Map.of(), "eye", "keys", "revoke", "web", "--data-dir", dataDir);

        assertThat(created.exit()).isZero();
        assertThat(key).startsWith("eye_").hasSizeGreaterThan(40);
        assertThat(listed.out()).contains("web").doesNotContain(key);
        assertThat(revoked.out()).contains("revoked 1 key");
        assertThat(again.exit()).isEqualTo(1);
    }

    @Test
    void keysAreCreatedWithAScopeThatTheListShowsAndAnUnknownScopeIsRefused() {
        String dataDir = dir.toString();
        Run reader = run(Map.of(), "eye", "keys", "create", "data-team", "--scope", "reader", "--data-dir", dataDir);
        Run plain = run(Map.of(), "eye", "keys", "create", "web", "--data-dir", dataDir);
        Run wrong = run(Map.of(), "eye", "keys", "create", "x", "--scope", "root", "--data-dir", dataDir);
        Run listed = run(Map.of(), "eye", "keys", "list", "--data-dir", dataDir);

        assertThat(reader.exit()).as(reader.err()).isZero();
        assertThat(reader.err()).contains("scope reader");
        assertThat(plain.exit()).isZero();
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("scope must be one of application, reader, admin");
        assertThat(listed.out()).containsPattern("data-team\\s+reader").containsPattern("web\\s+application");
    }

    @Test
    void sendDeliversAFileOfEventsAndAResendIsReportedAsAlreadyStored() throws Exception {
        String key = "send-test-key-0123456789";
        Path events = dir.resolve("events.json");
        Files.writeString(events, """
                [{"id": "e-1", "session_id": "s", "category": "page interaction", "name": "pageview",
                  "data": {"host": "h", "path": "/"}, "timestamp": "2021-01-01 09:15:27.243860"},
                 {"id": "e-2", "session_id": "s", "category": "page interaction", "name": "pageview",
                  "data": {"host": "h", "path": "/a"}, "timestamp": "2021-01-01 09:15:28.000000"}]
                """);
        try (RunningPlatform platform =
                RunningPlatform.start(new EyeService(EyeConfig.embedded(dir.resolve("data"), Map.of("app", key))))) {
            String url = "http://127.0.0.1:" + platform.port();

            Run first = run(Map.of("EYE_KEY", key), "eye", "send", "--url", url, events.toString());
            Run second = run(Map.of("EYE_KEY", key), "eye", "send", "--url", url, events.toString());

            assertThat(first.exit()).as(first.err()).isZero();
            assertThat(first.out()).contains("sent 2 events: 2 stored, 0 already stored, 0 failed");
            assertThat(second.out()).contains("sent 2 events: 0 stored, 2 already stored, 0 failed");
        }
    }

    @Test
    void sendWithAnUnknownKeyFailsWithExitStatus1() throws Exception {
        Path events = dir.resolve("one.json");
        Files.writeString(events, """
                {"session_id": "s", "category": "c", "name": "n", "data": {}, "timestamp": "2021-01-01T00:00:00Z"}
                """);
        try (RunningPlatform platform =
                RunningPlatform.start(new EyeService(EyeConfig.embedded(dir.resolve("data"), Map.of())))) {
            Run run = run(
                    Map.of(),
                    "eye",
                    "send",
                    "--url",
                    "http://127.0.0.1:" + platform.port(),
                    "--key",
                    "nobody-has-this-key",
                    events.toString());

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("401");
        }
    }

    @Test
    void listingKeysOfADirectoryWithoutADatabaseIsAnErrorAndCreatesNothing() {
        Path typo = dir.resolve("typo");

        Run listed = run(Map.of(), "eye", "keys", "list", "--data-dir", typo.toString());

        assertThat(listed.exit()).isEqualTo(2);
        assertThat(listed.err()).contains("--data-dir").contains("no eye database");
        assertThat(typo).doesNotExist();
    }

    @Test
    void aBrokenLineIsReportedByItsNumberWithoutAStackTraceAndStopsOrIsSkipped() throws Exception {
        String key = "send-lines-key-0123456789";
        Path events = dir.resolve("events.ndjson");
        Files.writeString(events, """
                {"id": "l-1", "session_id": "s", "category": "c", "name": "n", "data": {}, "timestamp": "2021-01-01T00:00:00Z"}

                {"id": "l-3", "session_id": "s", "category": "c", "name": "n", "data": {}, "timestamp": "2021-01-01T00:00:01Z"
                {"id": "l-4", "session_id": "s", "category": "c", "name": "n", "data": [], "timestamp": "2021-01-01T00:00:02Z"}
                {"id": "l-5", "session_id": "s", "category": "c", "name": "n", "data": {}, "timestamp": "2021-01-01T00:00:03Z"}
                """);
        try (RunningPlatform platform =
                RunningPlatform.start(new EyeService(EyeConfig.embedded(dir.resolve("data"), Map.of("app", key))))) {
            String url = "http://127.0.0.1:" + platform.port();

            Run stopped = run(Map.of("EYE_KEY", key), "eye", "send", "--url", url, events.toString());
            Run skipped =
                    run(Map.of("EYE_KEY", key), "eye", "send", "--url", url, "--on-error", "skip", events.toString());

            assertThat(stopped.exit()).isEqualTo(1);
            assertThat(stopped.err())
                    .contains("line 3: not JSON")
                    .contains("line 4: 'data' must be an object")
                    .contains("nothing sent")
                    .doesNotContain("\tat ");
            assertThat(stopped.out()).doesNotContain("sent");
            assertThat(skipped.exit()).isEqualTo(1);
            assertThat(skipped.err()).contains("line 3: not JSON");
            assertThat(skipped.out())
                    .contains("sent 2 events: 2 stored, 0 already stored, 0 failed; 2 broken lines skipped");
        }
    }

    @Test
    void withTheServerDownSendGivesUpInBoundedTimeAndListsWhatWasNotStored() throws Exception {
        Path events = dir.resolve("down.ndjson");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            lines.append("{\"id\": \"down-")
                    .append(i)
                    .append("\", \"session_id\": \"s\", \"category\": \"c\",")
                    .append(" \"name\": \"n\", \"data\": {}, \"timestamp\": \"2021-01-01T00:00:00Z\"}\n");
        }
        Files.writeString(events, lines);
        Path ids = dir.resolve("ids.tsv");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        long start = System.nanoTime();
        Run run = run(
                Map.of("EYE_KEY", "any-key-0123456789abcdef"),
                "eye",
                "send",
                "--url",
                "http://127.0.0.1:" + closedPort,
                "--give-up-after",
                "PT2S",
                "--ids-out",
                ids.toString(),
                events.toString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(took).isLessThan(Duration.ofSeconds(30));
        assertThat(run.out()).contains("sent 250 events: 0 stored, 0 already stored, 250 failed");
        // Usually the deadline ends the retries; with short random backoffs the retry count may end them first.
        assertThat(run.err()).containsAnyOf("gave up after PT2S", "no answer after");
        List<String> outcomes = Files.readAllLines(ids);
        assertThat(outcomes).hasSize(250);
        assertThat(outcomes.getFirst()).startsWith("down-0\tfailed\t");
    }

    @Test
    void aBatchSizeAboveTheServersMaximumIsRefusedNamingTheOption() throws Exception {
        Path events = dir.resolve("one.json");
        Files.writeString(events, "{}");

        Run run = run(Map.of("EYE_KEY", "k"), "eye", "send", "--batch-size", "5000", events.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--batch-size must be from 1 to 1000");
    }

    @Test
    void malformedEyeApiKeysNameTheOption() {
        Run run = run(Map.of("EYE_API_KEYS", "justakey"), "serve", "--only", "eye", "--port", "0");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--eye-api-keys");
    }

    @Test
    void keysListAsJsonIsAnArrayScriptsCanRead() throws Exception {
        String dataDir = dir.toString();
        String key = run(Map.of(), "eye", "keys", "create", "web", "--data-dir", dataDir)
                .out()
                .strip();
        run(Map.of(), "eye", "keys", "create", "data-team", "--scope", "reader", "--data-dir", dataDir);
        run(Map.of(), "eye", "keys", "revoke", "data-team", "--data-dir", dataDir);

        Run listed = run(Map.of(), "eye", "keys", "list", "--json", "--data-dir", dataDir);

        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).doesNotContain(key);
        com.fasterxml.jackson.databind.JsonNode keys =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(listed.out());
        assertThat(keys).hasSize(2);
        assertThat(keys.get(0).get("application").asText()).isEqualTo("data-team");
        assertThat(keys.get(0).get("scope").asText()).isEqualTo("reader");
        assertThat(keys.get(0).get("revoked").isTextual()).isTrue();
        assertThat(keys.get(1).get("application").asText()).isEqualTo("web");
        assertThat(keys.get(1).get("revoked").isNull()).isTrue();
        assertThat(keys.get(1).get("key_id").asText()).isNotBlank();
        assertThat(java.time.Instant.parse(keys.get(1).get("created").asText())).isNotNull();
    }

    @Test
    void sendAsJsonPrintsOnlyTheOutcomeObjectOnStdout() throws Exception {
        String key = "send-json-key-0123456789";
        Path events = dir.resolve("events.ndjson");
        Files.writeString(events, """
                {"id": "j-1", "session_id": "s", "category": "c", "name": "n", "data": {}, "timestamp": "2021-01-01T00:00:00Z"}
                {"id": "j-2", "session_id": "s", "category": "c", "name": "n", "data": {}, "timestamp": "not a time"}
                {"id": "j-1", "session_id": "s", "category": "c", "name": "n", "data": {}, "timestamp": "2021-01-01T00:00:00Z"}
                this is not json
                """);
        try (RunningPlatform platform =
                RunningPlatform.start(new EyeService(EyeConfig.embedded(dir.resolve("data"), Map.of("app", key))))) {
            Run run = run(
                    Map.of("EYE_KEY", key),
                    "eye",
                    "send",
                    "--url",
                    "http://127.0.0.1:" + platform.port(),
                    "--batch-size",
                    "1",
                    "--on-error",
                    "skip",
                    "--json",
                    events.toString());

            assertThat(run.exit()).isEqualTo(1);
            com.fasterxml.jackson.databind.JsonNode outcome =
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
            assertThat(outcome.get("sent").asInt()).isEqualTo(3);
            assertThat(outcome.get("stored").asInt()).isEqualTo(1);
            assertThat(outcome.get("duplicates").asInt()).isEqualTo(1);
            assertThat(outcome.get("failed").asInt()).isEqualTo(1);
            assertThat(outcome.get("broken_lines")).hasSize(1);
            assertThat(outcome.get("broken_lines").get(0).asText()).startsWith("line 4:");
            assertThat(outcome.get("failures").get(0).get("id").asText()).isEqualTo("j-2");
            assertThat(outcome.get("failures").get(0).get("line").asInt()).isEqualTo(2);
            assertThat(outcome.get("failures").get(0).get("reason").asText()).contains("400");
            assertThat(run.err()).contains("sent 3 events");
        }
    }
}
