/**
 * The JSON of tasks and workers ({@code TaskJson}), written by the HTTP endpoints and by the
 * JetStream queue's key-value bucket and read back by both. A package of its own below them, so
 * that {@code jetstream} does not reach up into the service's package that wires it.
 */
package io.switchboard.distribute.json;
