/**
 * The backend error log: {@link io.switchboard.fanout.errorlog.BackendErrorLog} formats one JSON
 * line per failed attempt on the event loop; {@link io.switchboard.fanout.errorlog.RotatingFileWriter}
 * writes it on its own thread and rotates the file by size.
 */
package io.switchboard.fanout.errorlog;
