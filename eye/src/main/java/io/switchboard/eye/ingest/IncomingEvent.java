package io.switchboard.eye.ingest;

/**
 * One structurally valid event, ready to be stored.
 *
 * @param id the client's id, or a server-generated time-ordered one
 * @param application the application whose key sent it
 * @param sessionId the session it belongs to
 * @param category event category, e.g. "page interaction"
 * @param name event name within the category, e.g. "pageview"
 * @param data the payload as compact JSON text (an object)
 * @param timestamp the timestamp exactly as sent
 * @param timestampMicros the timestamp in microseconds since the epoch (UTC)
 * @param receivedMicros when the server received it, microseconds since the epoch
 */
public record IncomingEvent(
        String id,
        String application,
        String sessionId,
        String category,
        String name,
        String data,
        String timestamp,
        long timestampMicros,
        long receivedMicros) {}
