package io.switchboard.app.mock;

import io.switchboard.app.start.Switchboard;
import io.switchboard.mock.work.WorkMockConfig;
import io.switchboard.mock.work.WorkMockService;
import io.switchboard.platform.ServerConfig;
import io.switchboard.platform.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code switchboard mock}: the scripted mock backends on their own port, standing in for the real
 * backends (which are unreachable here) in tests, benchmarks and demos.
 */
@Command(
        name = "mock",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Serves the mock backends (menu API, flaky work endpoint) on one port.")
public final class MockCommand implements Callable<Integer> {

    @Option(
            names = "--port",
            defaultValue = "8090",
            description = "TCP port (env MOCK_PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Interface to bind (env MOCK_HOST; default ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--work-error-share",
            defaultValue = "0.10",
            description =
                    "Share of unscripted work requests answered 500 (env MOCK_WORK_ERROR_SHARE; default ${DEFAULT-VALUE}).")
    double workErrorShare;

    @Option(
            names = "--work-invalid-share",
            defaultValue = "0.05",
            description = "Share of unscripted work requests answered 200 with broken JSON "
                    + "(env MOCK_WORK_INVALID_SHARE; default ${DEFAULT-VALUE}).")
    double workInvalidShare;

    @Option(
            names = "--work-hang-share",
            defaultValue = "0.02",
            description =
                    "Share of unscripted work requests never answered (env MOCK_WORK_HANG_SHARE; default ${DEFAULT-VALUE}).")
    double workHangShare;

    @Option(
            names = "--work-remote-control",
            description = "Let clients beyond loopback use the work mock's control endpoints (/setscenario, "
                    + "/requests, /stats) (env MOCK_WORK_REMOTE_CONTROL; default: loopback only).")
    boolean workRemoteControl;

    @Mixin
    MenuMockOptions menu;

    /** Every mock backend, in mount order. */
    private List<Service> catalog() {
        List<Service> mocks = new ArrayList<>();
        WorkMockConfig work = WorkMockConfig.defaults();
        mocks.add(new WorkMockService(new WorkMockConfig(
                "",
                work.minDelay(),
                work.maxDelay(),
                workErrorShare,
                workInvalidShare,
                workHangShare,
                workRemoteControl)));
        mocks.add(menu.create());
        return mocks;
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig server = new ServerConfig(host, port, 1, 100_000, 16 << 20, Duration.ofSeconds(2));
        Switchboard.Running running = Switchboard.startOrExplain(server, catalog());
        running.awaitTermination();
        return 0;
    }
}
