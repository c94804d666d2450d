package io.switchboard.distribute.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a client asked to run: validated, immutable.
 *
 * @param function {@value #JAVA} for a shipped Java function, a built-in name, or {@code Class::method} in a bundle
 * @param bundle the content address of the classes the function needs, or null
 * @param payload the serialized invocation of a Java function, or null
 * @param args JSON arguments of a named function (an array), or null
 * @param timeout how long one attempt may run before its worker is killed
 * @param maxRetries how many times a crashed attempt is retried
 * @param retryExceptions whether a user exception is retried too, within {@code maxRetries}
 */
public record TaskSpec(
        String function,
        @Nullable String bundle,
        byte @Nullable [] payload,
        @Nullable JsonNode args,
        Duration timeout,
        int maxRetries,
        boolean retryExceptions) {

    /** The function name of shipped Java functions. */
    public static final String JAVA = "java";

    /** The function name of cloudpickled Python functions ({@code POST /rpc}). */
    public static final String PYTHON = "python";

    public TaskSpec {
        if (function == null || function.isBlank()) {
            throw new IllegalArgumentException("a task names a function");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a task timeout is positive, was " + timeout);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("max retries is zero or more, was " + maxRetries);
        }
    }

    /** Which workers may run it. */
    public Language language() {
        return Language.of(function);
    }

    /** Size of what the task carries, for bounding the queue's memory. */
    public long weight() {
        return (payload == null ? 0 : payload.length) + (args == null ? 0 : args.size() * 16L);
    }
}
