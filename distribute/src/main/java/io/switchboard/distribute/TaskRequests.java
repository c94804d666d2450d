package io.switchboard.distribute;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.distribute.bundle.BundleStore;
import io.switchboard.distribute.dispatch.TaskSpec;
import io.switchboard.distribute.worker.Builtins;
import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads and validates a task submission into a {@link TaskSpec}: 400 naming the field and the rule
 * for anything off, 422 for a bundle the server does not hold (the client uploads it and retries).
 */
final class TaskRequests {

    /** Longest long poll; clients poll again beyond it. */
    static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private static final Set<String> FIELDS =
            Set.of("function", "bundle", "payload", "args", "timeout_ms", "max_retries", "retry_exceptions");

    /** {@code Class::method} with Java identifiers. */
    private static final Pattern STATIC_METHOD = Pattern.compile(
            "[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*::[\\p{L}_$][\\p{L}\\p{N}_$]*");

    private static final Pattern WAIT = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final DistributeConfig config;
    private final BundleStore bundles;

    TaskRequests(DistributeConfig config, BundleStore bundles) {
        this.config = config;
        this.bundles = bundles;
    }

    TaskSpec parse(byte[] body) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid("body", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("body", "the body is not valid JSON: " + e.getMessage());
        }
        if (!(tree instanceof ObjectNode task)) {
            throw invalid("body", "the body is a JSON object such as {\"function\": \"echo\", \"args\": [1]}");
        }
        for (Iterator<String> names = task.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                // An empty name cannot be the problem's parameter (found by fuzzing): name the body.
                throw invalid(name.isEmpty() ? "body" : name, "unknown field '" + name + "'; known: " + FIELDS);
            }
        }
        String function = text(task, "function");
        if (function == null || function.isBlank()) {
            throw invalid(
                    "function",
                    "function is required: \"java\", a built-in " + Builtins.NAMES
                            + " or \"Class::method\" of a bundle");
        }
        boolean java = function.equals(TaskSpec.JAVA);
        boolean builtin = Builtins.NAMES.contains(function);
        if (!java && !builtin && !STATIC_METHOD.matcher(function).matches()) {
            throw invalid(
                    "function",
                    "unknown function '" + function + "': use \"java\", a built-in " + Builtins.NAMES
                            + " or \"Class::method\" of a bundle");
        }
        String bundle = text(task, "bundle");
        if (!builtin) {
            if (bundle == null) {
                throw invalid("bundle", "function '" + function + "' needs the bundle of its classes (its SHA-256)");
            }
            if (!BundleStore.isId(bundle)) {
                throw invalid("bundle", "a bundle is named by the lowercase hex SHA-256 of its jar");
            }
            if (!bundles.contains(bundle)) {
                throw new ProblemException(Problem.of(
                                422,
                                "unknown-bundle",
                                "Unknown bundle",
                                "bundle " + bundle + " is not held here; PUT it to /distribute/bundles/" + bundle
                                        + " and submit again")
                        .withParameter("bundle"));
            }
        }
        byte[] payload = null;
        if (java) {
            String encoded = text(task, "payload");
            if (encoded == null || encoded.isEmpty()) {
                throw invalid("payload", "a java task carries its serialized invocation in payload (base64)");
            }
            try {
                payload = Base64.getDecoder().decode(encoded);
            } catch (IllegalArgumentException e) {
                throw invalid("payload", "payload is not base64: " + e.getMessage());
            }
        } else if (task.has("payload")) {
            throw invalid("payload", "only java tasks carry a payload; named functions take args");
        }
        JsonNode args = task.get("args");
        if (args != null && !args.isArray()) {
            throw invalid("args", "args is a JSON array of the function's arguments");
        }
        long timeoutMs = number(
                task, "timeout_ms", config.defaultTimeout().toMillis(), 1, DistributeConfig.MAX_TIMEOUT.toMillis());
        int maxRetries = (int) number(task, "max_retries", config.maxRetries(), 0, 100);
        JsonNode retry = task.get("retry_exceptions");
        if (retry != null && !retry.isBoolean()) {
            throw invalid("retry_exceptions", "retry_exceptions is true or false");
        }
        return new TaskSpec(
                function,
                bundle,
                payload,
                args,
                Duration.ofMillis(timeoutMs),
                maxRetries,
                retry != null && retry.booleanValue());
    }

    /** {@code wait} as {@code 30s}, {@code 500ms}, {@code 1m} or milliseconds; zero when absent. */
    static Duration parseWait(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return Duration.ZERO;
        }
        Matcher m = WAIT.matcher(value);
        if (!m.matches()) {
            throw invalid("wait", "wait is a duration such as 30s, 500ms or 1m (at most 60s), was '" + value + "'");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        Duration wait = switch (unit) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofMillis(amount);
        };
        if (wait.compareTo(MAX_WAIT) > 0) {
            throw invalid("wait", "wait is at most 60s, was " + value);
        }
        return wait;
    }

    private static @Nullable String text(ObjectNode task, String field) {
        JsonNode node = task.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw invalid(field, field + " is a string");
        }
        return node.textValue();
    }

    private static long number(ObjectNode task, String field, long fallback, long min, long max) {
        JsonNode node = task.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            throw invalid(field, field + " is an integer from " + min + " to " + max);
        }
        return node.longValue();
    }

    private static ProblemException invalid(String field, String detail) {
        return ProblemException.invalidParameter(field, detail);
    }
}
