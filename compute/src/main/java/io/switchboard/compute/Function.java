package io.switchboard.compute;

import java.util.Locale;

/** The functions compute offers; the lower-case name is the path segment and the metric label. */
enum Function {
    FIBONACCI,
    FACTORIAL,
    ACKERMANN;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
