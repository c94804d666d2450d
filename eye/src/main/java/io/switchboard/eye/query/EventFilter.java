package io.switchboard.eye.query;

/**
 * The filters of {@code GET /events} and {@code GET /events/errors}; null means "any".
 *
 * @param fromMicros inclusive lower bound of the event timestamp, microseconds since the epoch
 * @param toMicros exclusive upper bound of the event timestamp
 */
public record EventFilter(
        String sessionId, String category, String name, String application, Long fromMicros, Long toMicros) {

    public EventFilter withApplication(String value) {
        return new EventFilter(sessionId, category, name, value, fromMicros, toMicros);
    }
}
