/**
 * {@code switchboard bench}: an HTTP load generator and its reports.
 *
 * <p>The contract: {@link io.switchboard.bench.BenchPlan} (what to run, with its {@link
 * io.switchboard.bench.LoadModel}, {@link io.switchboard.bench.RequestSpec}s and {@link
 * io.switchboard.bench.ScrapeSpec}), {@link io.switchboard.bench.BenchResult} (what happened), and
 * the {@link io.switchboard.bench.Ticker} and {@link io.switchboard.bench.Progress} a run is given.
 * This package uses none of the others; they all use it. The machinery: {@code load} (closed and
 * open models on the transport's loops), {@code measure} (HdrHistogram recorders, capacity
 * estimate, thresholds), {@code scrape} (server-side gauges from Prometheus {@code /metrics}) and
 * {@code report} (JSON, HTML, PNG, terminal). {@code run} holds {@code Bench}, which runs a plan
 * through load, measure and scrape; it is apart from the contract so that the machinery can read
 * the plan and build the result without a cycle back to the class that calls it.
 *
 * <p>Flow: {@code plan → Transport → ClosedLoop | OpenLoop → StepRecorder → BenchResult →
 * Reports}. Requests and their callbacks run on the event loops; the caller's thread only waits.
 */
package io.switchboard.bench;
