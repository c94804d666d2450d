package io.switchboard.distribute.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * Why a task failed.
 *
 * @param kind what kind of failure, for programs
 * @param message a sentence for people
 * @param exitCode the worker's exit code for a crash (137 = killed by signal 9), or null
 * @param exception the remote exception as the worker reported it ({class, message, stack, cause}), or null
 */
public record TaskError(
        FailureKind kind,
        String message,
        @Nullable Integer exitCode,
        @Nullable JsonNode exception) {

    public static TaskError of(FailureKind kind, String message) {
        return new TaskError(kind, message, null, null);
    }
}
