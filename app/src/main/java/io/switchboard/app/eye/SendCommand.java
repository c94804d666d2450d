package io.switchboard.app.eye;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.eye.client.Ack;
import io.switchboard.eye.client.Event;
import io.switchboard.eye.client.EyeClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard eye send [FILE]}: sends events from a JSON file or stdin through the Java
 * client (batches, retries with backoff, idempotent ids). Accepts a JSON array of events, one event
 * object, or one event object per line. Events without an {@code id} get a fresh one here; give ids
 * in the input to make re-running the command after a failure safe (the eye acknowledges known ids
 * without storing them twice). Exit status 1 when any event failed.
 */
@Command(
        name = "send",
        mixinStandardHelpOptions = true,
        description = "Sends events (a JSON array, an object, or one object per line) from FILE or stdin.")
public final class SendCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "File of events; '-' or absent reads stdin.")
    String file;

    @Option(
            names = "--url",
            defaultValue = "http://127.0.0.1:8080",
            description = "Base URL of the eye (env EYE_URL; default ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--key", required = true, description = "API key of the sending application (env EYE_KEY).")
    String key;

    @Option(
            names = "--batch-size",
            defaultValue = "100",
            description = "Events per request (env EYE_BATCH_SIZE; default ${DEFAULT-VALUE}).")
    int batchSize;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<Event> events = read();
        List<CompletableFuture<Ack>> acks = new ArrayList<>(events.size());
        try (EyeClient client = EyeClient.builder(url, key).batchSize(batchSize).build()) {
            for (Event event : events) {
                acks.add(client.send(event));
            }
        }
        int duplicates = 0;
        int failed = 0;
        String firstFailure = null;
        for (CompletableFuture<Ack> ack : acks) {
            if (ack.isCompletedExceptionally()) {
                failed++;
                if (firstFailure == null) {
                    firstFailure = ack.exceptionNow().getMessage();
                }
            } else if (ack.join().duplicate()) {
                duplicates++;
            }
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "sent %d events: %d stored, %d already stored, %d failed%n",
                        events.size(), events.size() - duplicates - failed, duplicates, failed);
        if (firstFailure != null) {
            spec.commandLine().getErr().println("first failure: " + firstFailure);
        }
        return failed == 0 ? 0 : 1;
    }

    private List<Event> read() throws IOException {
        String text;
        if (file == null || file.equals("-")) {
            try (InputStream in = System.in) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } else {
            Path path = Path.of(file);
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("FILE: " + file + " does not exist");
            }
            text = Files.readString(path);
        }
        List<JsonNode> nodes = new ArrayList<>();
        String trimmed = text.strip();
        if (trimmed.startsWith("[")) {
            JSON.readTree(trimmed).forEach(nodes::add);
        } else {
            for (String line : trimmed.split("\\R")) {
                if (!line.isBlank()) {
                    nodes.add(JSON.readTree(line));
                }
            }
        }
        List<Event> events = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            events.add(event(nodes.get(i), i));
        }
        return events;
    }

    @SuppressWarnings("unchecked")
    private static Event event(JsonNode node, int index) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("event " + index + " is not a JSON object");
        }
        String id = node.hasNonNull("id") ? node.get("id").asText() : Event.newId();
        return new Event(
                id,
                text(node, "session_id", index),
                text(node, "category", index),
                text(node, "name", index),
                JSON.convertValue(requireObject(node, index), Map.class),
                text(node, "timestamp", index));
    }

    private static JsonNode requireObject(JsonNode node, int index) {
        JsonNode data = node.get("data");
        if (data == null || !data.isObject()) {
            throw new IllegalArgumentException("event " + index + ": 'data' must be an object");
        }
        return data;
    }

    private static String text(JsonNode node, String field, int index) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("event " + index + ": '" + field + "' must be a string");
        }
        return value.asText();
    }
}
