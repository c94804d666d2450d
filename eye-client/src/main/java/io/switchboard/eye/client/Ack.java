package io.switchboard.eye.client;

/**
 * The eye's acknowledgement of one event: it is durable on the server.
 *
 * @param id the event's id
 * @param duplicate whether the server had already stored it (a retry of an acknowledged event)
 */
public record Ack(String id, boolean duplicate) {}
