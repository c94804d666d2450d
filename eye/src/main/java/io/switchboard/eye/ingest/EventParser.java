package io.switchboard.eye.ingest;

import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@code POST /events} body (one event object or an array of them) into {@link
 * IncomingEvent}s, or fails with a 400 problem naming the first broken field ({@code timestamp},
 * or {@code [3].timestamp} inside a batch). All or nothing: one broken event rejects the request.
 * Runs on the event loop; it only looks at the JSON already in memory.
 *
 * <p>Only the structure is checked here (types, presence, lengths, parseable timestamp); payload
 * rules and the future-timestamp rule are the processor's, after the acknowledgement. Fields
 * other than the six known ones are ignored.
 */
public final class EventParser {

    /** Longest id, session id, category or name accepted; longer ones are surely not ids. */
    static final int MAX_TEXT = 200;

    private final int maxBatch;
    private final EventIds ids;
    private final Clock clock;

    public EventParser(int maxBatch, EventIds ids, Clock clock) {
        this.maxBatch = maxBatch;
        this.ids = ids;
        this.clock = clock;
    }

    public List<IncomingEvent> parse(Buffer body, String application) {
        if (body == null || body.length() == 0) {
            throw invalid("body", "the body is empty; send an event object or an array of events");
        }
        Object json;
        try {
            json = Json.decodeValue(body);
        } catch (DecodeException e) {
            throw invalid("body", "the body is not JSON: " + firstLine(e.getMessage()));
        }
        long received = Timestamps.toMicros(clock.instant());
        if (json instanceof JsonObject event) {
            return List.of(event(event, "", application, received));
        }
        if (json instanceof JsonArray batch) {
            if (batch.isEmpty()) {
                throw invalid("body", "the batch is empty");
            }
            if (batch.size() > maxBatch) {
                throw invalid(
                        "body", "the batch has " + batch.size() + " events; at most " + maxBatch + " are accepted");
            }
            List<IncomingEvent> events = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                String where = "[" + i + "].";
                if (!(batch.getValue(i) instanceof JsonObject event)) {
                    throw invalid("[" + i + "]", "each element of the batch must be an event object");
                }
                events.add(event(event, where, application, received));
            }
            return events;
        }
        throw invalid("body", "the body must be an event object or an array of events");
    }

    private IncomingEvent event(JsonObject event, String where, String application, long received) {
        String sessionId = text(event, where, "session_id");
        String category = text(event, where, "category");
        String name = text(event, where, "name");
        Object data = event.getValue("data");
        if (data == null) {
            throw invalid(where + "data", "'" + where + "data' is missing; it must be an object");
        }
        if (!(data instanceof JsonObject object)) {
            throw invalid(where + "data", "'" + where + "data' must be an object");
        }
        String timestamp = text(event, where, "timestamp");
        long micros = Timestamps.parseMicros(timestamp)
                .orElseThrow(() -> invalid(
                        where + "timestamp",
                        "'" + where + "timestamp' must look like 2021-01-01 09:15:27.243860 (UTC) or ISO 8601,"
                                + " e.g. 2021-01-01T09:15:27.243860+02:00; was '" + timestamp + "'"));
        String id = event.containsKey("id") && event.getValue("id") != null ? text(event, where, "id") : ids.next();
        return new IncomingEvent(
                id, application, sessionId, category, name, object.encode(), timestamp, micros, received);
    }

    private static String text(JsonObject event, String where, String field) {
        Object value = event.getValue(field);
        String path = where + field;
        if (value == null) {
            throw invalid(path, "'" + path + "' is missing; it must be a non-empty string");
        }
        if (!(value instanceof String text)) {
            throw invalid(path, "'" + path + "' must be a string, was " + kind(value));
        }
        if (text.isBlank()) {
            throw invalid(path, "'" + path + "' must not be empty");
        }
        if (text.length() > MAX_TEXT) {
            throw invalid(path, "'" + path + "' is longer than " + MAX_TEXT + " characters");
        }
        return text;
    }

    private static String kind(Object value) {
        return switch (value) {
            case Number n -> "a number";
            case Boolean b -> "a boolean";
            case JsonObject o -> "an object";
            case Map<?, ?> m -> "an object";
            case JsonArray a -> "an array";
            case List<?> l -> "an array";
            default -> value.getClass().getSimpleName();
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    private static ProblemException invalid(String field, String detail) {
        return new ProblemException(
                Problem.of(400, "invalid-event", "Invalid event", detail).withParameter(field));
    }
}
