package io.switchboard.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What the build recorded about itself: the version from the jar's manifest and the commit from
 * {@code git.properties}, which the build writes from the checkout (absent when it was built
 * outside one, or when running from an IDE that skipped that step: then "unknown").
 *
 * @param version the project version, or {@code dev} outside a packaged jar
 * @param commit the abbreviated commit id, or {@code unknown}
 * @param commitTime when that commit was made (ISO 8601, UTC), or null
 * @param dirty whether the checkout had uncommitted changes when it was built
 */
public record BuildInfo(String version, String commit, String commitTime, boolean dirty) {

    /** Where the build writes the commit, on the class path. */
    static final String GIT_PROPERTIES = "/git.properties";

    /** Reads the running build's information. */
    public static BuildInfo current() {
        String version = BuildInfo.class.getPackage().getImplementationVersion();
        return from(version, BuildInfo.class.getResourceAsStream(GIT_PROPERTIES));
    }

    static BuildInfo from(String version, InputStream gitProperties) {
        Properties git = new Properties();
        if (gitProperties != null) {
            try (gitProperties) {
                git.load(gitProperties);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + GIT_PROPERTIES, e);
            }
        }
        String commit = git.getProperty("git.commit.id.abbrev", "");
        return new BuildInfo(
                version == null ? "dev" : version,
                commit.isBlank() ? "unknown" : commit,
                git.getProperty("git.commit.time"),
                Boolean.parseBoolean(git.getProperty("git.dirty", "false")));
    }

    /** {@code switchboard 0.1.0 (commit 7c6ed54, 2026-12-02T09:00:00Z)}, with {@code -dirty} after a modified build. */
    public String describe() {
        return "switchboard " + version + " (commit " + commit + (dirty ? "-dirty" : "")
                + (commitTime == null ? "" : ", " + commitTime) + ")";
    }
}
