package io.switchboard.eye.ingest;

import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Turns a {@code POST /events} body (one event object or an array of them) into {@link
 * IncomingEvent}s, or fails with a 400 problem naming the first broken field ({@code timestamp},
 * or {@code [3].timestamp} inside a batch). All or nothing: one broken event rejects the request.
 * Runs on the event loop; it only looks at the JSON already in memory.
 *
 * <p>Only the structure is checked here (types, presence, lengths, a real timestamp, JSON that
 * {@link EventJson} accepts: what is accepted is exactly what is stored, and processing reads it
 * with the same reader); payload rules and the future-timestamp rule are the processor's, after
 * the acknowledgement. Fields other than the six known ones are ignored.
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
        JsonNode json;
        try {
            json = EventJson.read(body.getBytes());
        } catch (EventJson.InvalidJsonException e) {
            throw invalid(
                    e.path().isEmpty() ? "body" : e.path(),
                    "the body is not acceptable JSON" + (e.path().isEmpty() ? "" : " at '" + e.path() + "'") + ": "
                            + e.getMessage());
        }
        long received = Timestamps.toMicros(clock.instant());
        if (json.isObject()) {
            return List.of(event(json, "", application, received));
        }
        if (json.isArray()) {
            if (json.isEmpty()) {
                throw invalid("body", "the batch is empty");
            }
            if (json.size() > maxBatch) {
                throw invalid(
                        "body", "the batch has " + json.size() + " events; at most " + maxBatch + " are accepted");
            }
            List<IncomingEvent> events = new ArrayList<>(json.size());
            for (int i = 0; i < json.size(); i++) {
                String where = "[" + i + "].";
                if (!json.get(i).isObject()) {
                    throw invalid("[" + i + "]", "each element of the batch must be an event object");
                }
                events.add(event(json.get(i), where, application, received));
            }
            return events;
        }
        throw invalid("body", "the body must be an event object or an array of events");
    }

    private IncomingEvent event(JsonNode event, String where, String application, long received) {
        String sessionId = text(event, where, "session_id");
        String category = text(event, where, "category");
        String name = text(event, where, "name");
        JsonNode data = event.get("data");
        if (data == null || data.isNull()) {
            throw invalid(where + "data", "'" + where + "data' is missing; it must be an object");
        }
        if (!data.isObject()) {
            throw invalid(where + "data", "'" + where + "data' must be an object");
        }
        String dataText = EventJson.write(data);
        if (dataText.length() > EventJson.MAX_DATA_CHARS) {
            throw invalid(
                    where + "data",
                    "'" + where + "data' has " + dataText.length() + " characters as compact JSON; at most "
                            + EventJson.MAX_DATA_CHARS + " are accepted");
        }
        String timestamp = text(event, where, "timestamp");
        long micros = Timestamps.parseMicros(timestamp)
                .orElseThrow(() -> invalid(
                        where + "timestamp",
                        "'" + where + "timestamp' must be a real time written like 2021-01-01 09:15:27.243860 (UTC)"
                                + " or ISO 8601, e.g. 2021-01-01T09:15:27.243860+02:00; was '" + timestamp + "'"));
        JsonNode idNode = event.get("id");
        String id = idNode != null && !idNode.isNull() ? text(event, where, "id") : ids.next();
        return new IncomingEvent(id, application, sessionId, category, name, dataText, timestamp, micros, received);
    }

    private static String text(JsonNode event, String where, String field) {
        JsonNode value = event.get(field);
        String path = where + field;
        if (value == null || value.isNull()) {
            throw invalid(path, "'" + path + "' is missing; it must be a non-empty string");
        }
        if (!value.isString()) {
            throw invalid(path, "'" + path + "' must be a string, was " + kind(value));
        }
        String text = value.stringValue();
        if (text.isBlank()) {
            throw invalid(path, "'" + path + "' must not be empty");
        }
        if (text.length() > MAX_TEXT) {
            throw invalid(path, "'" + path + "' is longer than " + MAX_TEXT + " characters");
        }
        return text;
    }

    private static String kind(JsonNode value) {
        if (value.isNumber()) {
            return "a number";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        return value.isObject() ? "an object" : "an array";
    }

    private static ProblemException invalid(String field, String detail) {
        return new ProblemException(
                Problem.of(400, "invalid-event", "Invalid event", detail).withParameter(field));
    }
}
