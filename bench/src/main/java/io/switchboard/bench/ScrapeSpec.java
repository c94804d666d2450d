package io.switchboard.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Server-side series to sample during a run from a Prometheus text endpoint.
 *
 * @param url the metrics URL, usually {@code <target origin>/metrics}
 * @param names gauge names to sample (a name with several label sets is summed over them)
 * @param interval time between samples
 */
public record ScrapeSpec(URI url, List<String> names, Duration interval) {

    /** The sampling period used unless told otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);

    public ScrapeSpec {
        url = RequestSpec.parseUri(url == null ? "" : url.toString());
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("--scrape needs at least one metric name");
        }
        for (String name : names) {
            if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
                throw new IllegalArgumentException("--scrape: '" + name + "' is not a Prometheus metric name");
            }
        }
        names = List.copyOf(names);
        if (interval == null || interval.toMillis() < 50) {
            throw new IllegalArgumentException("scrape interval must be at least 50ms, was " + interval);
        }
    }
}
