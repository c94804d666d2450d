package io.switchboard.app.serve;

import io.switchboard.app.cli.DurationConverter;
import io.switchboard.fanout.FanoutConfig;
import io.switchboard.fanout.FanoutService;
import io.switchboard.mock.work.WorkMockConfig;
import io.switchboard.mock.work.WorkMockService;
import io.switchboard.platform.Service;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * Options of the fan-out service (seed 001), with the seed's names: {@code REMOTE_URL}, {@code
 * REQUEST_TIMEOUT} (milliseconds), {@code REQUESTS_LIMIT}. Without {@code --remote-url} the work
 * mock is mounted in the same server under {@value #LOCAL_MOCK_PREFIX} and fan-out calls it there.
 */
public final class FanoutOptions implements ServiceOptions {

    /** Where {@code serve} mounts the work mock when no backend is configured. */
    static final String LOCAL_MOCK_PREFIX = "/_mock/work";

    /** The work mock's endpoint; port 0 is this server, at the address the client reached. */
    static final URI BUILT_IN_BACKEND = URI.create("http://127.0.0.1:0" + LOCAL_MOCK_PREFIX + "/api/work");

    /** Below this an upstream timeout is surely seconds mistaken for milliseconds (the seed used seconds). */
    private static final Duration SMALLEST_REQUEST_TIMEOUT = Duration.ofMillis(10);

    @Option(
            names = "--remote-url",
            description = "Full URL of the backend's work endpoint, e.g. http://backend:8080/api/work "
                    + "(env REMOTE_URL; default: the built-in work mock at " + LOCAL_MOCK_PREFIX
                    + "/api/work on this server).")
    String remoteUrl;

    @Option(
            names = "--request-timeout",
            defaultValue = "10000",
            converter = MillisConverter.class,
            description = "Upstream timeout of one backend call, in milliseconds or with a unit (5000, 5s) "
                    + "(env REQUEST_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(
            names = "--requests-limit",
            defaultValue = "100",
            description = "Fan-out requests in processing beyond which new ones get 503 at once "
                    + "(env REQUESTS_LIMIT; default ${DEFAULT-VALUE}).")
    int requestsLimit;

    @Option(
            names = "--fanout-default-timeout",
            defaultValue = "1000",
            converter = MillisConverter.class,
            description = "The endpoints' timeout when a request gives none, in milliseconds "
                    + "(env FANOUT_DEFAULT_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration defaultTimeout;

    @Option(
            names = "--fanout-max-timeout",
            defaultValue = "60000",
            converter = MillisConverter.class,
            description = "Largest timeout a request may ask for, in milliseconds; beyond it 400 "
                    + "(env FANOUT_MAX_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration maxTimeout;

    @Option(
            names = "--fanout-hedge-delay",
            defaultValue = "300",
            converter = MillisConverter.class,
            description = "How long /api/smart waits for its first call before firing the others, in milliseconds "
                    + "(env FANOUT_HEDGE_DELAY; default ${DEFAULT-VALUE}).")
    Duration hedgeDelay;

    @Option(
            names = "--fanout-width",
            defaultValue = "3",
            description = "Backend calls per request (env FANOUT_WIDTH; default ${DEFAULT-VALUE}).")
    int width;

    @Option(
            names = "--backend-error-log",
            description = "File to which failed backend calls are appended as JSON lines "
                    + "(env BACKEND_ERROR_LOG; default: <data-dir>/backend_errors.log).")
    Path errorLog;

    @Option(
            names = "--backend-error-log-max-bytes",
            defaultValue = "10485760",
            description = "Size at which the backend error log rotates (env BACKEND_ERROR_LOG_MAX_BYTES; "
                    + "default ${DEFAULT-VALUE}).")
    long errorLogMaxBytes;

    @Option(
            names = "--backend-error-log-keep",
            defaultValue = "5",
            description = "Rotated backend error logs kept (env BACKEND_ERROR_LOG_KEEP; default ${DEFAULT-VALUE}).")
    int errorLogKeep;

    @Override
    public String serviceName() {
        return FanoutService.NAME;
    }

    @Override
    public Service create(ServeSettings settings) {
        if (requestTimeout.compareTo(SMALLEST_REQUEST_TIMEOUT) < 0) {
            throw new IllegalArgumentException("--request-timeout is in milliseconds: " + requestTimeout.toMillis()
                    + " ms is shorter than any backend answer (the seed counted seconds: write 5s or 5000)");
        }
        URI remote = remoteUrl == null || remoteUrl.isBlank() ? null : parseUrl(remoteUrl);
        Path log = errorLog != null ? errorLog : settings.dataDir().resolve("backend_errors.log");
        FanoutConfig config = new FanoutConfig(
                remote != null ? remote : BUILT_IN_BACKEND,
                requestTimeout,
                requestsLimit,
                defaultTimeout,
                maxTimeout,
                hedgeDelay,
                width,
                log,
                errorLogMaxBytes,
                errorLogKeep);
        return new FanoutService(config, settings.clock());
    }

    /** The work mock, when no {@code --remote-url} is given. */
    @Override
    public Optional<Service> builtInMock() {
        return remoteUrl == null || remoteUrl.isBlank()
                ? Optional.of(new WorkMockService(WorkMockConfig.defaults().withPrefix(LOCAL_MOCK_PREFIX)))
                : Optional.empty();
    }

    private static URI parseUrl(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--remote-url: '" + value + "' is not a URL: " + e.getReason());
        }
    }

    /** Reads a bare number as milliseconds (the seed's unit), anything else as a {@link DurationConverter} duration. */
    static final class MillisConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String trimmed = value.trim();
            if (trimmed.matches("\\d{1,12}")) {
                return Duration.ofMillis(Long.parseLong(trimmed));
            }
            return new DurationConverter().convert(trimmed);
        }
    }
}
