/**
 * Fan-out: parallel and hedged calls to a flaky backend (seed 001).
 *
 * <p>Request path: {@code client → platform (request id, global limit) → fan-out concurrency
 * limit → FanoutService (parse timeout) → Fanout (policy: width, first wave, hedge delay, goal;
 * deadline) → HttpUpstream × N → backend}. The public API is {@link io.switchboard.fanout.Fanout},
 * {@link io.switchboard.fanout.FanoutPolicy}, {@link io.switchboard.fanout.Upstream} and the
 * result and failure records; {@code http} holds the Vert.x HTTP upstream and its success check,
 * {@code errorlog} the rotating backend error log.
 *
 * <p>Threads: a fan-out runs entirely on the event loop of the request that started it (attempts,
 * timers, listeners); only the error log's file writes run on their own thread.
 */
package io.switchboard.fanout;
