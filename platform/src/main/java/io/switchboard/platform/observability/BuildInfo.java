package io.switchboard.platform.observability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and commit this code was built from, as the build wrote them into {@code
 * build.properties}: shown by {@code switchboard --version} and exported as {@code
 * switchboard_build_info}. A value the build could not fill in (no git checkout) reads {@code
 * unknown}.
 *
 * @param version the project version
 * @param commit the full commit id
 * @param shortCommit the abbreviated commit id
 * @param commitTime when that commit was made (ISO 8601, UTC), or {@code unknown}
 * @param dirty whether the checkout had uncommitted changes when it was built
 */
public record BuildInfo(String version, String commit, String shortCommit, String commitTime, boolean dirty) {

    /** What a value reads when the build left its placeholder unfilled. */
    static final String UNKNOWN = "unknown";

    /** The running build's information. */
    public static BuildInfo current() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/io/switchboard/platform/build.properties")) {
            return from(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read build.properties", e);
        }
    }

    static BuildInfo from(InputStream in) throws IOException {
        Properties properties = new Properties();
        if (in != null) {
            properties.load(in);
        }
        return new BuildInfo(
                filled(properties.getProperty("version")),
                filled(properties.getProperty("commit")),
                filled(properties.getProperty("commit_abbrev")),
                filled(properties.getProperty("commit_time")),
                Boolean.parseBoolean(filled(properties.getProperty("dirty"))));
    }

    /** The value, or {@link #UNKNOWN} when it is missing or still a {@code ${...}} placeholder. */
    static String filled(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? UNKNOWN : value.strip();
    }

    /** {@code switchboard 0.1.0 (commit 7c6ed54, 2026-12-02T09:00:00Z)}, with {@code -dirty} after a modified build. */
    public String describe() {
        return "switchboard " + version + " (commit " + shortCommit + (dirty ? "-dirty" : "")
                + (commitTime.equals(UNKNOWN) ? "" : ", " + commitTime) + ")";
    }
}
