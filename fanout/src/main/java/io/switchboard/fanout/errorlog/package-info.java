/**
 * The backend error log's file: {@link io.switchboard.fanout.errorlog.RotatingFileWriter} writes
 * the lines on its own thread and rotates the file by size. The lines themselves (one JSON line per
 * failed attempt, formatted on the event loop) come from {@code BackendErrorLog}, a fan-out
 * listener beside {@code FanoutService}: it reads the fan-out's types, and this package must not.
 */
package io.switchboard.fanout.errorlog;
