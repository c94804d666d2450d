package io.switchboard.app.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations as {@code 250ms}, {@code 10s}, {@code 2m}, {@code 1h} or ISO 8601 ({@code PT10S}). */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        Matcher m = SHORT.matcher(value.trim());
        if (m.matches()) {
            try {
                long amount = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            } catch (NumberFormatException | ArithmeticException tooLarge) {
                // Found by fuzzing: 99999999999999999999s or 9999999999999999h escaped as a stack trace.
                throw new TypeConversionException(
                        "'" + shown(value) + "' is not a duration this program can hold (too large)");
            }
        }
        try {
            return Duration.parse(value.trim());
        } catch (RuntimeException e) {
            throw new TypeConversionException(
                    "'" + shown(value) + "' is not a duration (examples: 250ms, 10s, 2m, PT10S)");
        }
    }

    /**
     * {@code value} as an error message may show it: control characters escaped, so that the message
     * stays one line (found by fuzzing: a newline in a value split the error), and at most 80 chars.
     */
    static String shown(String value) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < value.length() && shown.length() < 80; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", (int) c));
            } else {
                shown.append(c);
            }
        }
        return shown.length() < value.length() ? shown + "..." : shown.toString();
    }
}
