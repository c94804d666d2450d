package io.switchboard.distribute.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/** Turns a task's {@code result} into the caller's value, according to its {@code result_encoding}. */
@FunctionalInterface
interface ResultDecoder<R> {

    /**
     * Decodes one result.
     *
     * @param result the task's {@code result} (a JSON null when absent)
     * @param encoding {@code json} or {@code java-serialization}
     */
    @Nullable
    R decode(JsonNode result, String encoding) throws Exception;
}
