package io.switchboard.app.mock;

import io.switchboard.app.cli.DurationConverter;
import io.switchboard.mock.menu.MenuMockConfig;
import io.switchboard.mock.menu.MenuMockService;
import io.switchboard.platform.Service;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of the mock menu backend ({@code /api/restaurant...}) served by {@code switchboard mock}. */
public final class MenuMockOptions {

    @Option(
            names = "--menu-data",
            description = "JSON file of restaurants {\"restaurants\": [...]} (env MOCK_MENU_DATA; default: bundled).")
    Path data;

    @Option(
            names = "--menu-latency",
            converter = DurationConverter.class,
            defaultValue = "0ms",
            description = "Delay before every menu answer (env MOCK_MENU_LATENCY; default ${DEFAULT-VALUE}).")
    Duration latency;

    @Option(
            names = "--menu-rate-limit",
            defaultValue = "0",
            description = "Menu requests per second beyond which it answers 429 + Retry-After; 0 for none "
                    + "(env MOCK_MENU_RATE_LIMIT; default ${DEFAULT-VALUE}).")
    int rateLimit;

    @Option(
            names = "--menu-fail-every",
            defaultValue = "0",
            description = "Every n-th menu request fails with 500; 0 for never (env MOCK_MENU_FAIL_EVERY; "
                    + "default ${DEFAULT-VALUE}).")
    int failEvery;

    Service create() {
        return new MenuMockService(new MenuMockConfig("", data, latency, rateLimit, failEvery));
    }
}
