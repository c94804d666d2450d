package io.switchboard.eye.process;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The JSON Schemas (draft 2020-12) that event payloads must satisfy, one per (category, name).
 *
 * <p>A schema file is a JSON Schema with two extra top-level keywords naming what it applies to:
 * {@code "x-eye-category": "page interaction", "x-eye-name": "pageview"}. The bundled schemas (the
 * seed's three example events) load first; every {@code *.json} file of the configured directory
 * then adds a schema or replaces a bundled one. Events of a (category, name) without a schema are
 * valid as long as their payload is an object: the registry constrains the events it knows and
 * lets new kinds of events in (a documented choice; add a schema file to constrain them).
 *
 * <p>Loaded once at start; immutable and thread-safe afterwards.
 */
public final class SchemaCatalog {

    /** Classpath folder of the bundled schemas and the index naming them. */
    private static final String BUNDLED = "eye/schemas/";

    /** Most schema errors quoted in one event's reason. */
    private static final int MAX_REASONS = 3;

    private final Map<Key, Schema> schemas;

    private record Key(String category, String name) {}

    private SchemaCatalog(Map<Key, Schema> schemas) {
        this.schemas = Map.copyOf(schemas);
    }

    /** The bundled schemas plus those of {@code dir} (may be null). */
    public static SchemaCatalog load(@Nullable Path dir) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Map<Key, Schema> schemas = new HashMap<>();
        for (String file : bundledFiles()) {
            add(registry, schemas, read(BUNDLED + file), "bundled " + file);
        }
        if (dir != null) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--eye-schema-dir: " + dir + " is not a directory");
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
                for (Path file : files) {
                    add(registry, schemas, Files.readString(file), file.toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the schema directory " + dir, e);
            }
        }
        return new SchemaCatalog(schemas);
    }

    /** Number of (category, name) pairs with a schema. */
    public int size() {
        return schemas.size();
    }

    /**
     * Why {@code data} breaks the schema of (category, name), or empty when it satisfies it or there
     * is no schema. The tree comes from {@link io.switchboard.eye.ingest.EventJson}, so the validator
     * never parses the payload again with limits of its own.
     *
     * @throws RuntimeException when the schema cannot be applied (e.g. a reference that does not
     *     resolve); the processor records the event as unprocessable
     */
    public Optional<String> violation(String category, String name, JsonNode data) {
        Schema schema = schemas.get(new Key(category, name));
        if (schema == null) {
            return Optional.empty();
        }
        List<Error> errors = schema.validate(data);
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(errors.stream()
                .limit(MAX_REASONS)
                .map(Error::getMessage)
                .map(message -> message.replace("$", "data"))
                .collect(Collectors.joining("; ")));
    }

    private static void add(SchemaRegistry registry, Map<Key, Schema> schemas, String text, String source) {
        JsonObject json;
        try {
            json = new JsonObject(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("schema " + source + " is not a JSON object: " + e.getMessage());
        }
        String category = json.getString("x-eye-category");
        String name = json.getString("x-eye-name");
        if (category == null || name == null) {
            throw new IllegalArgumentException(
                    "schema " + source + " lacks \"x-eye-category\" or \"x-eye-name\" naming the events it applies to");
        }
        // The two naming keywords are ours, not the validator's: strip them before compiling.
        json.remove("x-eye-category");
        json.remove("x-eye-name");
        try {
            schemas.put(new Key(category, name), registry.getSchema(json.encode(), InputFormat.JSON));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("schema " + source + " is not a valid JSON Schema: " + e.getMessage());
        }
    }

    private static List<String> bundledFiles() {
        return read(BUNDLED + "index.txt")
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .toList();
    }

    private static String read(String resource) {
        try (InputStream in = SchemaCatalog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled resource " + resource + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
