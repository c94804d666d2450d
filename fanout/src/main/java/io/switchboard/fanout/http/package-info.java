/**
 * The HTTP {@link io.switchboard.fanout.Upstream}: a GET per attempt over the platform's pooled
 * Vert.x client, an upstream timeout per attempt, cancellation by request reset, and the success
 * check ({@link io.switchboard.fanout.http.ResponseCheck}). Runs on the fan-out's event loop.
 */
package io.switchboard.fanout.http;
