package io.switchboard.fanout;

import io.switchboard.fanout.errorlog.RotatingFileWriter;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * The seed's {@code backend_errors.log}: one JSON line per failed backend call (status, invalid
 * body, upstream timeout, connection error, or cut off at the deadline), with time, request id,
 * attempt, URL, failure and latency. Losers cancelled because another attempt won are not errors
 * and are not logged.
 *
 * <p>Runs on the event loop as a {@link FanoutListener}: it formats the line and hands it to a
 * {@link RotatingFileWriter}, which writes on its own thread.
 */
final class BackendErrorLog implements FanoutListener, AutoCloseable {

    private final RotatingFileWriter writer;
    private final Clock clock;
    private final String endpoint;

    public BackendErrorLog(RotatingFileWriter writer, Clock clock, String endpoint) {
        this.writer = writer;
        this.clock = clock;
        this.endpoint = endpoint;
    }

    @Override
    public void attemptFailed(AttemptFailure failure) {
        JsonObject line = new JsonObject()
                .put("time", clock.instant().toString())
                .put("request_id", failure.attempt().requestId())
                .put("endpoint", endpoint)
                .put("attempt", failure.attempt().index())
                .put("url", failure.attempt().target())
                .put("failure", failure.kind().label())
                .put("detail", failure.detail())
                .put("latency_ms", failure.latency().toNanos() / 1e6);
        writer.append(line.encode());
    }

    /** Closes the shared writer; call once, not per endpoint. */
    @Override
    public void close() {
        writer.close();
    }
}
