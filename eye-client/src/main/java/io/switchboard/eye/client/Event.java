package io.switchboard.eye.client;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event as the eye receives it. The id is generated here, on the client, so a batch that is
 * retried after a lost answer is stored once: the server acknowledges known ids again instead of
 * storing them twice.
 *
 * @param id the event's idempotency key
 * @param sessionId the session it belongs to
 * @param category e.g. "page interaction"
 * @param name e.g. "pageview"
 * @param data the payload (a JSON object)
 * @param timestamp ISO 8601 with offset, or the seed's {@code 2021-01-01 09:15:27.243860} (UTC)
 */
public record Event(
        String id, String sessionId, String category, String name, Map<String, Object> data, String timestamp) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** An event happening now, with a fresh id. */
    public static Event of(String sessionId, String category, String name, Map<String, Object> data) {
        return new Event(newId(), sessionId, category, name, data, Instant.now().toString());
    }

    /** An event with a fresh id. */
    public static Event of(String sessionId, String category, String name, Map<String, Object> data, String timestamp) {
        return new Event(newId(), sessionId, category, name, data, timestamp);
    }

    /** A time-ordered random id in the UUIDv7 layout. */
    public static String newId() {
        long msb = (System.currentTimeMillis() << 16) | 0x7000L | (RANDOM.nextLong() & 0x0FFFL);
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    Map<String, Object> toJson() {
        return Map.of(
                "id",
                id,
                "session_id",
                sessionId,
                "category",
                category,
                "name",
                name,
                "data",
                data,
                "timestamp",
                timestamp);
    }
}
