package io.switchboard.fanout;

import io.switchboard.platform.problem.ProblemException;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The endpoints' {@code timeout}, in milliseconds, from the last path segment ({@code
 * /api/smart/500}) or {@code ?timeout=}; the configured default when absent, a 400 naming the
 * parameter when it is not a whole number from 1 to the configured maximum.
 */
final class TimeoutParameter {

    /** Accepted spelling of {@code timeout}: plain decimal digits, at most 9 of them. */
    private static final Pattern TIMEOUT_FORMAT = Pattern.compile("\\d{1,9}");

    private TimeoutParameter() {}

    static Duration parse(RoutingContext ctx, FanoutConfig config) {
        String raw = ctx.pathParam("timeout");
        if (raw == null) {
            raw = ctx.queryParams().get("timeout");
        }
        if (raw == null) {
            return config.defaultTimeout();
        }
        long max = config.maxTimeout().toMillis();
        if (!TIMEOUT_FORMAT.matcher(raw).matches() || Long.parseLong(raw) < 1 || Long.parseLong(raw) > max) {
            throw ProblemException.invalidParameter(
                    "timeout",
                    "Parameter 'timeout' must be a whole number of milliseconds from 1 to " + max + ", was '"
                            + abbreviate(raw) + "'");
        }
        return Duration.ofMillis(Long.parseLong(raw));
    }

    private static String abbreviate(String raw) {
        return raw.length() <= 20 ? raw : raw.substring(0, 20) + "...";
    }
}
