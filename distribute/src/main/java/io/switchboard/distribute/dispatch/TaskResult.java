package io.switchboard.distribute.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * What a worker reported for one attempt.
 *
 * @param value the returned value: JSON, or a base64 string of Java serialization (see {@code encoding}); null on error
 * @param encoding {@code json} or {@code java-serialization}
 * @param error the failure, or null when the function returned
 * @param stdout what the function printed on standard output (bounded by the worker)
 * @param stderr what it printed on standard error
 * @param runNanos how long the function ran, measured in the worker
 */
public record TaskResult(
        @Nullable JsonNode value,
        String encoding,
        @Nullable TaskError error,
        String stdout,
        String stderr,
        long runNanos) {

    public boolean ok() {
        return error == null;
    }
}
