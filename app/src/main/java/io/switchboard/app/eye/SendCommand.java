package io.switchboard.app.eye;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.app.cli.DurationConverter;
import io.switchboard.eye.client.Ack;
import io.switchboard.eye.client.Event;
import io.switchboard.eye.client.EyeClient;
import io.switchboard.eye.client.Overflow;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * without storing them twice).
 *
 * <p>The input is read and checked before anything is sent: a broken line is reported as {@code
 * line N: reason} (1-based) and either stops the command with nothing sent or is skipped
 * ({@code --on-error}). While sending, progress goes to stderr every {@link #PROGRESS_EVERY};
 * retries stop {@code --give-up-after} after a batch was ready, so a server that is down costs a
 * bounded wait; {@code --ids-out} lists every event's id and outcome. Exit status 1 when any event
 * failed or any line was broken.
 */
@Command(
        name = "send",
        mixinStandardHelpOptions = true,
        description = "Sends events (a JSON array, an object, or one object per line) from FILE or stdin.")
public final class SendCommand implements Callable<Integer> {

    /** The server's default --eye-max-batch; a larger batch would be refused whole with 400. */
    static final int MAX_BATCH_SIZE = 1000;

    /** How often progress is printed while events are on the way. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to do with a line that is not a usable event. */
    enum OnError {
        stop,
        skip
    }

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
            description =
                    "Events per request, 1 to " + MAX_BATCH_SIZE + " (env EYE_BATCH_SIZE; default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--on-error",
            defaultValue = "stop",
            description = "A line that is not a usable event: stop (send nothing) or skip it "
                    + "(env EYE_ON_ERROR; default ${DEFAULT-VALUE}).")
    OnError onError;

    @Option(
            names = "--give-up-after",
            defaultValue = "PT1M",
            converter = DurationConverter.class,
            description = "Longest time a batch is retried (server down or overloaded) before its events are "
                    + "reported as not stored (env EYE_GIVE_UP_AFTER; default ${DEFAULT-VALUE}).")
    Duration giveUpAfter;

    @Option(
            names = "--ids-out",
            description = "Writes one line per event: id, then stored, duplicate or failed (and why), tab-separated.")
    Path idsOut;

    @Option(
            names = "--json",
            description = "Prints the outcome as one JSON object on stdout for scripts: counts, the broken lines and "
                    + "every failed event with its id, line and reason.")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** One input event and the 1-based line it starts on. */
    private record Input(Event event, int line) {}

    @Override
    public Integer call() throws IOException {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("--batch-size must be from 1 to " + MAX_BATCH_SIZE
                    + " (the server refuses larger batches), was " + batchSize);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> broken = new ArrayList<>();
        List<Input> inputs = read(broken);
        broken.forEach(err::println);
        if (!broken.isEmpty() && onError == OnError.stop) {
            err.println("nothing sent: fix the line" + (broken.size() == 1 ? "" : "s")
                    + " above, or pass --on-error skip to send the others");
            if (json) {
                out.println(summary(0, 0, 0, 0, broken, JSON.createArrayNode()));
            }
            return 1;
        }
        List<CompletableFuture<Ack>> acks = send(inputs, err);
        return report(inputs, acks, broken, out, err);
    }

    private List<CompletableFuture<Ack>> send(List<Input> inputs, PrintWriter err) {
        List<CompletableFuture<Ack>> acks = new ArrayList<>(inputs.size());
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "eye-send-progress");
            thread.setDaemon(true);
            return thread;
        });
        try (EyeClient client = EyeClient.builder(url, key)
                .batchSize(batchSize)
                .giveUpAfter(giveUpAfter)
                // A file is sent whole: wait for room rather than drop. Room frees within a batch's
                // give-up time, plus a request timeout for the batch on the way.
                .whenFull(Overflow.BLOCK, giveUpAfter.plusMinutes(1))
                .build()) {
            var _ = progress.scheduleAtFixedRate(
                    () -> printProgress(acks, inputs.size(), err),
                    PROGRESS_EVERY.toMillis(),
                    PROGRESS_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
            for (Input input : inputs) {
                CompletableFuture<Ack> ack = client.send(input.event());
                synchronized (acks) {
                    acks.add(ack);
                }
            }
        } finally {
            progress.shutdownNow();
        }
        return acks;
    }

    private static void printProgress(List<CompletableFuture<Ack>> acks, int total, PrintWriter err) {
        int done = 0;
        int failed = 0;
        synchronized (acks) {
            for (CompletableFuture<Ack> ack : acks) {
                if (ack.isDone()) {
                    done++;
                    failed += ack.isCompletedExceptionally() ? 1 : 0;
                }
            }
        }
        err.printf(
                "progress: %d of %d events answered (%d stored, %d failed so far)%n",
                done, total, done - failed, failed);
        err.flush();
    }

    private int report(
            List<Input> inputs,
            List<CompletableFuture<Ack>> acks,
            List<String> broken,
            PrintWriter out,
            PrintWriter err)
            throws IOException {
        int skipped = broken.size();
        ArrayNode failures = JSON.createArrayNode();
        int duplicates = 0;
        int failed = 0;
        String firstFailure = null;
        List<String> lines = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            CompletableFuture<Ack> ack = acks.get(i);
            String id = inputs.get(i).event().id();
            if (ack.isCompletedExceptionally()) {
                failed++;
                Throwable failure = ack.exceptionNow();
                // A failure without a message (a bare exception) is reported by its class instead.
                String message = failure.getMessage();
                String why = message != null ? message : failure.toString();
                if (firstFailure == null) {
                    firstFailure = why;
                }
                lines.add(id + "\tfailed\t" + why.replace('\t', ' ').replace('\n', ' '));
                failures.addObject()
                        .put("id", id)
                        .put("line", inputs.get(i).line())
                        .put("reason", why);
            } else if (ack.join().duplicate()) {
                duplicates++;
                lines.add(id + "\tduplicate");
            } else {
                lines.add(id + "\tstored");
            }
        }
        if (json) {
            out.println(
                    summary(inputs.size(), inputs.size() - duplicates - failed, duplicates, failed, broken, failures));
        }
        // With --json, stdout carries only the JSON; the sentence goes to stderr.
        (json ? err : out)
                .printf(
                        "sent %d events: %d stored, %d already stored, %d failed%s%n",
                        inputs.size(),
                        inputs.size() - duplicates - failed,
                        duplicates,
                        failed,
                        skipped == 0 ? "" : "; " + skipped + " broken line" + (skipped == 1 ? "" : "s") + " skipped");
        if (firstFailure != null) {
            err.println("first failure: " + firstFailure);
        }
        if (idsOut != null) {
            Files.write(idsOut, lines, StandardCharsets.UTF_8);
            err.println("outcome of each event written to " + idsOut);
        } else if (failed > 0) {
            err.println("events not stored: " + failed + "; pass --ids-out FILE to list them");
        }
        return failed == 0 && skipped == 0 ? 0 : 1;
    }

    /** The outcome as one JSON object. */
    private static ObjectNode summary(
            int sent, int stored, int duplicates, int failed, List<String> broken, ArrayNode failures) {
        ObjectNode summary = JSON.createObjectNode()
                .put("sent", sent)
                .put("stored", stored)
                .put("duplicates", duplicates)
                .put("failed", failed);
        ArrayNode brokenLines = summary.putArray("broken_lines");
        broken.forEach(brokenLines::add);
        summary.set("failures", failures);
        return summary;
    }

    /** The events of the input; a line that is no usable event is added to {@code broken} as "line N: why". */
    private List<Input> read(List<String> broken) throws IOException {
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
        List<Input> inputs = new ArrayList<>();
        if (text.strip().startsWith("[")) {
            readArray(text, inputs, broken);
            return inputs;
        }
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            int lineNumber = i + 1;
            try {
                inputs.add(new Input(event(JSON.readTree(lines[i])), lineNumber));
            } catch (JsonProcessingException e) {
                broken.add("line " + lineNumber + ": not JSON: " + e.getOriginalMessage());
            } catch (IllegalArgumentException e) {
                broken.add("line " + lineNumber + ": " + e.getMessage());
            }
        }
        return inputs;
    }

    /** A JSON array: a syntax error breaks the whole input; an unusable element is reported by its line. */
    private static void readArray(String text, List<Input> inputs, List<String> broken) {
        JsonNode array;
        try {
            array = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            broken.add("line " + e.getLocation().getLineNr() + ": not JSON: " + e.getOriginalMessage());
            return;
        }
        for (int i = 0; i < array.size(); i++) {
            try {
                inputs.add(new Input(event(array.get(i)), i + 1));
            } catch (IllegalArgumentException e) {
                broken.add("event " + (i + 1) + " of the array: " + e.getMessage());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Event event(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String id = node.hasNonNull("id") ? node.get("id").asText() : Event.newId();
        return new Event(
                id,
                text(node, "session_id"),
                text(node, "category"),
                text(node, "name"),
                JSON.convertValue(requireObject(node), Map.class),
                text(node, "timestamp"));
    }

    private static JsonNode requireObject(JsonNode node) {
        JsonNode data = node.get("data");
        if (data == null || !data.isObject()) {
            throw new IllegalArgumentException("'data' must be an object");
        }
        return data;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return value.asText();
    }
}
