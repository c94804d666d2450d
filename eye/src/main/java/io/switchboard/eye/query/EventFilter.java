package io.switchboard.eye.query;

import org.jspecify.annotations.Nullable;

/**
 * The filters of {@code GET /events} and {@code GET /events/errors}; null means "any".
 *
 * @param fromMicros inclusive lower bound of the event timestamp, microseconds since the epoch
 * @param toMicros exclusive upper bound of the event timestamp
 */
public record EventFilter(
        @Nullable String sessionId,
        @Nullable String category,
        @Nullable String name,
        @Nullable String application,
        @Nullable Long fromMicros,
        @Nullable Long toMicros) {

    public EventFilter withApplication(@Nullable String value) {
        return new EventFilter(sessionId, category, name, value, fromMicros, toMicros);
    }
}
