package io.switchboard.platform.observability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and commit this code was built from, as the build wrote them into {@code
 * build.properties}. A value the build could not fill in (no git checkout) reads {@code unknown}.
 */
record BuildInfo(String version, String commit) {

    /** What a value reads when the build left its placeholder unfilled. */
    static final String UNKNOWN = "unknown";

    static BuildInfo fromClasspath() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/io/switchboard/platform/build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read build.properties", e);
        }
        return new BuildInfo(filled(properties.getProperty("version")), filled(properties.getProperty("commit")));
    }

    /** The value, or {@link #UNKNOWN} when it is missing or still a {@code ${...}} placeholder. */
    static String filled(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? UNKNOWN : value.strip();
    }
}
