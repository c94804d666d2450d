package io.switchboard.distribute.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Set;

/**
 * Functions every worker has, callable by name with JSON arguments from any language (curl
 * included): they make the dispatcher measurable and testable without shipping code.
 *
 * <ul>
 *   <li>{@code noop()}: returns null at once (the empty task of the benchmarks)
 *   <li>{@code echo(x...)}: returns its argument, or the array of its arguments
 *   <li>{@code sleep(ms)}: sleeps, then returns ms (the scaling benchmark's 1 s task)
 *   <li>{@code fail(message)}: throws, to see a user exception come back
 * </ul>
 */
public final class Builtins {

    /** The names, for validating submissions before they are queued. */
    public static final Set<String> NAMES = Set.of("noop", "echo", "sleep", "fail");

    private Builtins() {}

    static JsonNode run(String name, ArrayNode args) throws InterruptedException {
        return switch (name) {
            case "noop" -> NullNode.getInstance();
            case "echo" -> args.size() == 1 ? args.get(0) : args;
            case "sleep" -> {
                long millis = args.path(0).asLong(0);
                Thread.sleep(millis);
                yield JsonNodeFactory.instance.numberNode(millis);
            }
            case "fail" -> throw new IllegalStateException(args.path(0).asText("failed on request"));
            default -> throw new IllegalArgumentException("no built-in function " + name + "; known: " + NAMES);
        };
    }
}
