/**
 * The compute service: {@link io.switchboard.compute.ComputeService} and its {@link
 * io.switchboard.compute.ComputeConfig}. Request path: event loop (parse, budget) → {@code
 * execution.ComputeExecutor} (cache, sharing, bounded pool) → {@code math} (the algorithms, on
 * compute threads) → event loop ({@code ResultWriter} streams the answer).
 */
package io.switchboard.compute;
