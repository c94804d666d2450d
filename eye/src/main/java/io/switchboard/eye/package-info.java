/**
 * The eye: an event collector (seed 003). Applications send events with their API key; events are
 * acknowledged once committed (group commit), validated asynchronously against JSON Schemas and
 * queried with filters and cursor pagination.
 *
 * <p>Request path: {@code client → POST /events → key check → EventParser (event loop) →
 * GroupCommitWriter (writer thread, one transaction per group) → 202}; then {@code EventProcessor
 * (processor thread) → status valid/invalid}; {@code GET /events[/errors[/counts]] → EventQueries
 * (worker threads)}. The public API is {@link io.switchboard.eye.EyeService}, {@link
 * io.switchboard.eye.EyeConfig}, {@link io.switchboard.eye.EyeStorage} and {@link
 * io.switchboard.eye.ApiKeys}; sub-packages hold the machinery.
 */
package io.switchboard.eye;
