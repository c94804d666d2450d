/**
 * Mock of the lunch menu API the relay fronts (seed 004): restaurants and their dishes from a JSON
 * data file, with configurable latency, rate limit and failures. Served by {@code switchboard mock}
 * at {@code /api/restaurant...} and inside {@code serve} under {@code /_mock/menu} as the relay's
 * default backend.
 */
package io.switchboard.mock.menu;
