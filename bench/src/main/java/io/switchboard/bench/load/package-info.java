/**
 * Load generation: the closed model ({@code ClosedLoop}), the open model ({@code OpenLoop} driven
 * by an {@code ArrivalSchedule}), the HTTP {@code Transport} they share (NIO selector threads with
 * in-place HTTP/1.1 framing for plain http, {@code PlainHttpTransport}; Vert.x's client for TLS,
 * {@code VertxTransport}) and the {@code StepRunner} that runs one step with its warm-up and
 * sampling.
 */
package io.switchboard.bench.load;
