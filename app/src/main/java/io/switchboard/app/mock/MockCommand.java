package io.switchboard.app.mock;

import io.switchboard.app.Switchboard;
import io.switchboard.platform.ServerConfig;
import io.switchboard.platform.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

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

    @Mixin
    MenuMockOptions menu;

    /** Every mock backend, in mount order. */
    private List<Service> catalog() {
        List<Service> mocks = new ArrayList<>();
        mocks.add(menu.create());
        return mocks;
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig server = new ServerConfig(host, port, 1, 100_000, 16 << 20, Duration.ofSeconds(2));
        Switchboard.Running running = Switchboard.start(server, catalog())
                .toCompletionStage()
                .toCompletableFuture()
                .join();
        CountDownLatch stopped = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> running.stop().onComplete(done -> stopped.countDown()));
        Signal.handle(new Signal("INT"), signal -> running.stop().onComplete(done -> stopped.countDown()));
        stopped.await();
        return 0;
    }
}
