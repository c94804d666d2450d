/**
 * {@code /dashboard}: the live state of every running service in one page.
 *
 * <pre>
 * registry ──(every second, one event loop)──▶ Sampler ──▶ SnapshotStream ──SSE──▶ browser (uPlot charts)
 *                                               gauges,       last 5 minutes,
 *                                               rates, p50/p99  pushes to open streams
 * </pre>
 *
 * <p>{@link io.switchboard.platform.dashboard.Dashboard} is the only public type; the platform
 * mounts it beside {@code /metrics}.
 */
package io.switchboard.platform.dashboard;
