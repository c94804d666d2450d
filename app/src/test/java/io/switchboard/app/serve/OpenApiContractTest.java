package io.switchboard.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.switchboard.app.start.Switchboard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /openapi} is the contract: a full {@code serve} (every service, as {@code switchboard serve}
 * mounts them) is asked for its document, then every documented operation is replayed against it,
 * built only from the document (path parameter and body examples, the security it names), and each
 * answer must have a documented status, a documented media type, a body valid against the documented
 * schema and the documented {@code X-Request-Id}. The document must also pass {@code redocly lint}
 * without errors, and {@code /docs} must render it in a browser from this server alone.
 */
class OpenApiContractTest {

    private static final Path NPM_DIR =
            Path.of("..", "dashboard-test").toAbsolutePath().normalize();

    private static final Path REDOCLY = NPM_DIR.resolve("node_modules/@redocly/cli/bin/cli.js");

    private static final String EYE_KEY = "contract-test-key-0123456789abcdef";

    private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch");

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @TempDir
    static Path dataDir;

    private static Switchboard.Running running;
    private static JsonObject document;

    @BeforeAll
    static void startEverything() throws Exception {
        running = ServeLoad.startEverything(dataDir, EYE_KEY);
        HttpResponse<String> answer =
                CLIENT.send(HttpRequest.newBuilder(uri("/openapi")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        document = new JsonObject(answer.body());
    }

    @AfterAll
    static void stop() throws Exception {
        running.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void everyDocumentedOperationAnswersAsDocumented() throws Exception {
        List<String> violations = new ArrayList<>();
        List<String> replayed = new ArrayList<>();
        for (Map.Entry<String, Object> path : document.getJsonObject("paths")) {
            for (Map.Entry<String, Object> entry : (JsonObject) path.getValue()) {
                if (!METHODS.contains(entry.getKey())) {
                    continue;
                }
                JsonObject operation = (JsonObject) entry.getValue();
                String name = operation.getString("operationId");
                replayed.add(name);
                violations.addAll(replay(path.getKey(), entry.getKey(), operation).stream()
                        .map(v ->
                                name + " (" + entry.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + "): " + v)
                        .toList());
            }
        }

        assertThat(replayed)
                .as("operations replayed")
                .contains(
                        "fibonacci",
                        "fanoutSmartWithPathTimeout",
                        "relayGet",
                        "ingestEvents",
                        "submitTask",
                        "workMockSetScenario",
                        "menuMockRestaurant",
                        "healthReady",
                        "docs")
                .doesNotHaveDuplicates()
                .doesNotContainNull();
        assertThat(violations).as("answers that break the document").isEmpty();
    }

    @Test
    void theDocumentDefinesEverySecuritySchemeItsOperationsName() {
        JsonObject schemes = document.getJsonObject("components").getJsonObject("securitySchemes");
        assertThat(schemes.fieldNames()).contains("eyeApiKey", "distributeToken");
        for (Object item : document.getJsonObject("paths")) {
            for (Map.Entry<String, Object> operation : (JsonObject) ((Map.Entry<?, ?>) item).getValue()) {
                for (Object requirement :
                        ((JsonObject) operation.getValue()).getJsonArray("security", new JsonArray())) {
                    assertThat(schemes.fieldNames()).containsAll(((JsonObject) requirement).fieldNames());
                }
            }
        }
    }

    @Test
    void theDocumentNamesOptionsInsteadOfRepeatingTheirDefaultValues() {
        String text = document.encode();

        assertThat(text).contains("`--fanout-width`", "`--fanout-hedge-delay`", "`--compute-max-digits`");
        assertThat(text).doesNotContainPattern("\\b3 (backend )?calls").doesNotContain("300 ms");
    }

    @Test
    void theDocumentPassesRedoclyLintWithoutErrors(@TempDir Path scratch) throws Exception {
        requireRedocly();
        Path file = scratch.resolve("openapi.json");
        Files.writeString(file, document.encodePrettily());
        Path report = scratch.resolve("lint.json");
        Process lint = new ProcessBuilder(
                        "node",
                        REDOCLY.toString(),
                        "lint",
                        "--config",
                        NPM_DIR.resolve("redocly.yaml").toString(),
                        "--format",
                        "json",
                        file.toString())
                .redirectOutput(report.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(lint.waitFor(2, TimeUnit.MINUTES)).as("redocly lint ended").isTrue();

        JsonArray problems = new JsonObject(Files.readString(report)).getJsonArray("problems");
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Object item : problems) {
            JsonObject problem = (JsonObject) item;
            String line = problem.getString("ruleId") + " at "
                    + problem.getJsonArray("location").getJsonObject(0).getString("pointer") + ": "
                    + problem.getString("message");
            ("error".equals(problem.getString("severity")) ? errors : warnings).add(line);
        }
        System.out.printf(
                "redocly lint: %d errors, %d warnings%n%s%n",
                errors.size(), warnings.size(), String.join("\n", warnings));
        assertThat(errors).as("redocly lint errors").isEmpty();
    }

    @Test
    void docsServesSwaggerUiFromThisServer() throws Exception {
        HttpResponse<String> page =
                CLIENT.send(HttpRequest.newBuilder(uri("/docs")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/docs/assets/swagger-ui-bundle.js", "/docs/assets/docs.js");
        assertThat(page.body()).doesNotContain("https://", "http://");
        for (String asset : List.of("swagger-ui-bundle.js", "swagger-ui.css", "docs.js")) {
            HttpResponse<String> answer = CLIENT.send(
                    HttpRequest.newBuilder(uri("/docs/assets/" + asset)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(asset).isEqualTo(200);
            assertThat(answer.body()).as(asset).isNotEmpty();
        }
    }

    @Test
    void docsRendersEveryOperationInABrowser() throws Exception {
        requireBrowser();
        long operations = document.getJsonObject("paths").stream()
                .mapToLong(path -> ((JsonObject) path.getValue())
                        .fieldNames().stream().filter(METHODS::contains).count())
                .sum();
        Path screenshot = Path.of("target", "docs.png").toAbsolutePath();
        Path log = Path.of("target", "docs-test.log").toAbsolutePath();
        Process node = new ProcessBuilder(
                        "node",
                        "docs.test.mjs",
                        "--url",
                        "http://127.0.0.1:" + running.port(),
                        "--operations",
                        Long.toString(operations),
                        "--screenshot",
                        screenshot.toString(),
                        "--chromium",
                        CHROMIUM)
                .directory(NPM_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean ended = node.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            node.destroyForcibly();
        }
        String output = Files.readString(log);

        assertThat(ended).as("docs browser test ended:%n%s", output).isTrue();
        assertThat(node.exitValue()).as("docs browser test output:%n%s", output).isZero();
        assertThat(output).contains("all docs checks passed");
    }

    // --- replaying one operation

    private static List<String> replay(String template, String method, JsonObject operation) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri(fill(template, operation))).timeout(Duration.ofSeconds(30));
        for (Object requirement : operation.getJsonArray("security", new JsonArray())) {
            if (((JsonObject) requirement).containsKey("eyeApiKey")) {
                request.header("Authorization", "Bearer " + EYE_KEY);
            }
        }
        JsonObject body = operation.getJsonObject("requestBody");
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
        if (body != null) {
            Map.Entry<String, Object> media =
                    body.getJsonObject("content").iterator().next();
            Object example = ((JsonObject) media.getValue()).getValue("example");
            if (!media.getKey().contains("*")) {
                request.header("Content-Type", media.getKey());
            }
            if (example != null) {
                publisher = HttpRequest.BodyPublishers.ofString(
                        example instanceof String text ? text : io.vertx.core.json.Json.encode(example));
            }
        }
        request.method(method.toUpperCase(Locale.ROOT), publisher);
        HttpResponse<InputStream> answer = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = answer.body()) {
            return check(method, operation, answer, in);
        }
    }

    private static List<String> check(
            String method, JsonObject operation, HttpResponse<InputStream> answer, InputStream in) throws IOException {
        List<String> violations = new ArrayList<>();
        JsonObject responses = operation.getJsonObject("responses");
        String status = Integer.toString(answer.statusCode());
        System.out.printf(
                "replayed %s: %s %s%n",
                operation.getString("operationId"),
                status,
                answer.headers().firstValue("Content-Type").orElse("(no body)"));
        JsonObject documented = responses.getJsonObject(status);
        if (documented == null) {
            documented = responses.getJsonObject(status.charAt(0) + "XX", responses.getJsonObject("default"));
        }
        if (documented == null) {
            return List.of("status " + status + " is not documented (" + responses.fieldNames() + ")");
        }
        documented = resolve(documented);
        if (answer.headers().firstValue("X-Request-Id").isEmpty()) {
            violations.add("no X-Request-Id on a " + status);
        }
        String contentType = answer.headers().firstValue("Content-Type").orElse("");
        String mediaType = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType.equals("text/event-stream")) {
            // An endless stream: its media type is the contract; the body is never complete.
            return mediaTypeDocumented(documented, mediaType, status, violations);
        }
        byte[] bytes = in.readAllBytes();
        if (bytes.length == 0 || method.equals("head") || status.equals("304")) {
            return violations;
        }
        mediaTypeDocumented(documented, mediaType, status, violations);
        JsonObject content = documented.getJsonObject("content", new JsonObject());
        JsonObject media = content.getJsonObject(mediaType);
        if (media != null && media.containsKey("schema") && mediaType.endsWith("json")) {
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(((JsonObject) inline(media.getJsonObject("schema"))).encode(), InputFormat.JSON);
            String text = new String(bytes, StandardCharsets.UTF_8);
            schema.validate(text, InputFormat.JSON)
                    .forEach(error -> violations.add("a " + status + " body breaks its schema: " + error.getMessage()
                            + " in " + abbreviate(text)));
        }
        return violations;
    }

    private static List<String> mediaTypeDocumented(
            JsonObject documented, String mediaType, String status, List<String> violations) {
        JsonObject content = documented.getJsonObject("content", new JsonObject());
        if (!content.containsKey(mediaType) && !content.containsKey("*/*")) {
            violations.add(
                    "a " + status + " answer of type '" + mediaType + "' is not documented " + content.fieldNames());
        }
        return violations;
    }

    /** The path with each parameter replaced by its documented example, and required query parameters. */
    private static String fill(String template, JsonObject operation) {
        String path = template;
        List<String> query = new ArrayList<>();
        for (Object item : operation.getJsonArray("parameters", new JsonArray())) {
            JsonObject parameter = resolve((JsonObject) item);
            Object example = parameter.getValue("example");
            if ("path".equals(parameter.getString("in"))) {
                assertThat(example)
                        .as(
                                "example of path parameter %s of %s",
                                parameter.getString("name"), operation.getString("operationId"))
                        .isNotNull();
                path = path.replace("{" + parameter.getString("name") + "}", String.valueOf(example));
            } else if ("query".equals(parameter.getString("in")) && parameter.getBoolean("required", false)) {
                query.add(parameter.getString("name") + "="
                        + URLEncoder.encode(String.valueOf(example), StandardCharsets.UTF_8));
            }
        }
        return query.isEmpty() ? path : path + "?" + String.join("&", query);
    }

    /** A response or parameter object, with its own {@code $ref} followed. */
    private static JsonObject resolve(JsonObject object) {
        String ref = object.getString("$ref");
        return ref == null ? object : resolve(pointer(ref));
    }

    /** {@code value} with every {@code #/components/...} reference replaced by what it names. */
    private static Object inline(Object value) {
        if (value instanceof JsonObject object) {
            if (object.containsKey("$ref")) {
                return inline(pointer(object.getString("$ref")));
            }
            JsonObject copy = new JsonObject();
            object.forEach(entry -> copy.put(entry.getKey(), inline(entry.getValue())));
            return copy;
        }
        if (value instanceof JsonArray array) {
            JsonArray copy = new JsonArray();
            array.forEach(item -> copy.add(inline(item)));
            return copy;
        }
        return value;
    }

    private static JsonObject pointer(String ref) {
        assertThat(ref).as("local reference").startsWith("#/");
        JsonObject at = document;
        for (String part : ref.substring(2).split("/")) {
            at = at.getJsonObject(part.replace("~1", "/").replace("~0", "~"));
            assertThat(at).as("target of %s", ref).isNotNull();
        }
        return at;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + running.port() + pathAndQuery);
    }

    /** Skips where node, the npm packages or Chromium are missing; fails instead in CI. */
    private static void requireBrowser() {
        List<String> missing = new ArrayList<>();
        if (!nodeRuns()) {
            missing.add("node");
        }
        if (!Files.isDirectory(NPM_DIR.resolve("node_modules").resolve("playwright-core"))) {
            missing.add("playwright-core (run 'npm ci' in dashboard-test/)");
        }
        if (!Files.isExecutable(Path.of(CHROMIUM))) {
            missing.add("Chromium at " + CHROMIUM);
        }
        if (!missing.isEmpty() && Boolean.parseBoolean(System.getenv("SWITCHBOARD_REQUIRE_SERVICES"))) {
            throw new IllegalStateException(
                    "the /docs browser test is required (SWITCHBOARD_REQUIRE_SERVICES=true) but " + missing
                            + " is missing");
        }
        assumeTrue(missing.isEmpty(), "SKIPPED: the /docs browser test needs " + missing);
    }

    /** Skips where node or the npm packages are missing; fails instead in CI. */
    private static void requireRedocly() {
        List<String> missing = new ArrayList<>();
        if (!nodeRuns()) {
            missing.add("node");
        }
        if (!Files.isRegularFile(REDOCLY)) {
            missing.add("@redocly/cli (run 'npm ci' in dashboard-test/)");
        }
        if (!missing.isEmpty() && Boolean.parseBoolean(System.getenv("SWITCHBOARD_REQUIRE_SERVICES"))) {
            throw new IllegalStateException(
                    "the OpenAPI lint is required (SWITCHBOARD_REQUIRE_SERVICES=true) but " + missing + " is missing");
        }
        assumeTrue(missing.isEmpty(), "SKIPPED: the OpenAPI lint needs " + missing);
    }

    private static boolean nodeRuns() {
        try {
            Process process = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
