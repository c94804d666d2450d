/**
 * Measurement: wait-free HdrHistogram recorders written from every event loop, sampled once a
 * second into per-second points and step totals, and the capacity estimate.
 */
package io.switchboard.bench.measure;
