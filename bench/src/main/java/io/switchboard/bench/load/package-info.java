/**
 * Load generation on Vert.x event loops: the closed model ({@code ClosedLoop}), the open model
 * ({@code OpenLoop} driven by an {@code ArrivalSchedule}), the HTTP {@code Transport} they share
 * and the {@code StepRunner} that runs one step with its warm-up and sampling.
 */
package io.switchboard.bench.load;
