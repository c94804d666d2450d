/**
 * Reports of a run: {@code result.json} (Jackson), a self-contained {@code report.html} with the
 * chart library inlined, {@code latency.png} (JFreeChart) and the terminal summary.
 */
package io.switchboard.bench.report;
