/**
 * {@code switchboard bench}: an HTTP load generator and its reports.
 *
 * <p>Public API: {@link io.switchboard.bench.BenchPlan} (what to run), {@link
 * io.switchboard.bench.Bench} (runs it), {@link io.switchboard.bench.BenchResult} (what happened).
 * Machinery: {@code load} (closed and open models on Vert.x event loops), {@code measure}
 * (HdrHistogram recorders, capacity estimate), {@code report} (JSON, HTML, PNG, terminal) and
 * {@code scrape} (server-side gauges from Prometheus {@code /metrics}).
 *
 * <p>Flow: {@code plan → Transport → ClosedLoop | OpenLoop → StepRecorder → BenchResult →
 * Reports}. Requests and their callbacks run on the event loops; the caller's thread only waits.
 */
package io.switchboard.bench;
