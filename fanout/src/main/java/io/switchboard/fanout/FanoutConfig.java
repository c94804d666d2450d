package io.switchboard.fanout;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the fan-out service.
 *
 * @param remoteUrl full URL of the backend's work endpoint; port 0 means this same server, at the
 *     address the client reached ({@code ThisServer}: serve's built-in work mock), resolved on the
 *     first request once the port is known
 * @param requestTimeout upstream timeout of one backend call (the seed's {@code REQUEST_TIMEOUT})
 * @param requestsLimit fan-out requests in processing beyond which new ones get 503 at once
 * @param defaultTimeout the endpoints' {@code timeout} when the request gives none
 * @param maxTimeout largest {@code timeout} accepted; beyond it 400
 * @param hedgeDelay how long {@code /api/smart} waits for its first attempt before hedging
 * @param width attempts per request (the assignment's 3)
 * @param errorLog file of the backend error log ({@code backend_errors.log})
 * @param errorLogMaxBytes size at which the error log rotates
 * @param errorLogKeep rotated error log files kept
 */
public record FanoutConfig(
        URI remoteUrl,
        Duration requestTimeout,
        int requestsLimit,
        Duration defaultTimeout,
        Duration maxTimeout,
        Duration hedgeDelay,
        int width,
        Path errorLog,
        long errorLogMaxBytes,
        int errorLogKeep) {

    public FanoutConfig {
        if (remoteUrl == null
                || (!remoteUrl.isAbsolute()
                        || remoteUrl.getHost() == null
                        || !(remoteUrl.getScheme().equals("http")
                                || remoteUrl.getScheme().equals("https")))) {
            throw new IllegalArgumentException(
                    "--remote-url must be an absolute http(s) URL such as http://host:8080/api/work, was " + remoteUrl);
        }
        requirePositive("--request-timeout", requestTimeout);
        requirePositive("--fanout-default-timeout", defaultTimeout);
        requirePositive("--fanout-max-timeout", maxTimeout);
        if (defaultTimeout.compareTo(maxTimeout) > 0) {
            throw new IllegalArgumentException("--fanout-default-timeout (" + defaultTimeout.toMillis()
                    + " ms) must not exceed --fanout-max-timeout (" + maxTimeout.toMillis() + " ms)");
        }
        if (hedgeDelay == null || hedgeDelay.isNegative()) {
            throw new IllegalArgumentException("--fanout-hedge-delay must be zero or positive, was " + hedgeDelay);
        }
        if (requestsLimit < 1) {
            throw new IllegalArgumentException("--requests-limit must be at least 1, was " + requestsLimit);
        }
        if (width < 2 || width > FanoutPolicy.MAX_WIDTH) {
            throw new IllegalArgumentException(
                    "--fanout-width must be between 2 and " + FanoutPolicy.MAX_WIDTH + ", was " + width);
        }
        if (errorLog == null) {
            throw new IllegalArgumentException("--backend-error-log must be set");
        }
        if (errorLogMaxBytes < 1024) {
            throw new IllegalArgumentException(
                    "--backend-error-log-max-bytes must be at least 1024, was " + errorLogMaxBytes);
        }
        if (errorLogKeep < 0) {
            throw new IllegalArgumentException("--backend-error-log-keep must be 0 or more, was " + errorLogKeep);
        }
    }

    private static void requirePositive(String option, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, was " + value);
        }
    }

    /** The seed's defaults: 10 s upstream timeout, limit 100, 1 s endpoint timeout, 300 ms hedge, width 3. */
    public static FanoutConfig defaults(URI remoteUrl, Path errorLog) {
        return new FanoutConfig(
                remoteUrl,
                Duration.ofSeconds(10),
                100,
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                Duration.ofMillis(300),
                3,
                errorLog,
                10L << 20,
                5);
    }

    public FanoutConfig withRequestsLimit(int limit) {
        Copy copy = new Copy(this);
        copy.requestsLimit = limit;
        return copy.build();
    }

    public FanoutConfig withHedgeDelay(Duration delay) {
        Copy copy = new Copy(this);
        copy.hedgeDelay = delay;
        return copy.build();
    }

    public FanoutConfig withDefaultTimeout(Duration timeout) {
        Copy copy = new Copy(this);
        copy.defaultTimeout = timeout;
        return copy.build();
    }

    /** The fields of a config being copied with changes: one place that lists them all. */
    private static final class Copy {
        URI remoteUrl;
        Duration requestTimeout;
        int requestsLimit;
        Duration defaultTimeout;
        Duration maxTimeout;
        Duration hedgeDelay;
        int width;
        Path errorLog;
        long errorLogMaxBytes;
        int errorLogKeep;

        Copy(FanoutConfig from) {
            remoteUrl = from.remoteUrl;
            requestTimeout = from.requestTimeout;
            requestsLimit = from.requestsLimit;
            defaultTimeout = from.defaultTimeout;
            maxTimeout = from.maxTimeout;
            hedgeDelay = from.hedgeDelay;
            width = from.width;
            errorLog = from.errorLog;
            errorLogMaxBytes = from.errorLogMaxBytes;
            errorLogKeep = from.errorLogKeep;
        }

        FanoutConfig build() {
            return new FanoutConfig(
                    remoteUrl,
                    requestTimeout,
                    requestsLimit,
                    defaultTimeout,
                    maxTimeout,
                    hedgeDelay,
                    width,
                    errorLog,
                    errorLogMaxBytes,
                    errorLogKeep);
        }
    }
}
