package io.switchboard.compute;

import io.switchboard.platform.problem.ProblemException;

/** Parses path arguments into non-negative longs, failing with a problem that names the parameter. */
final class Arguments {

    /** Long.MAX_VALUE has 19 digits; anything longer is refused before parsing. */
    private static final int MAX_LENGTH = 19;

    private Arguments() {}

    static long nonNegative(String name, String raw) {
        if (raw == null || raw.isEmpty()) {
            throw ProblemException.invalidParameter(name, "Parameter '" + name + "' is missing");
        }
        if (raw.length() > MAX_LENGTH) {
            throw ProblemException.invalidParameter(
                    name, "Parameter '" + name + "' is too long: at most " + MAX_LENGTH + " digits are accepted");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                throw ProblemException.invalidParameter(
                        name,
                        "Parameter '" + name + "' must be a non-negative integer in decimal digits, was '" + raw + "'");
            }
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ProblemException.invalidParameter(
                    name, "Parameter '" + name + "' must be at most " + Long.MAX_VALUE + ", was " + raw);
        }
    }
}
