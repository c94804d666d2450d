package io.switchboard.app.serve;

import io.switchboard.app.start.Switchboard;
import io.switchboard.platform.Service;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code switchboard serve}: every service (or those named by {@code --only}) on one port. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs Switchboard's services on one port, on embedded defaults unless configured.",
            "Precedence: flags > environment variables > YAML file (--config) > defaults."
        })
public final class ServeCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Spec
    CommandSpec spec;

    @Option(
            names = "--config",
            description = "YAML file of option: value pairs, e.g. 'port: 9000' (env SWITCHBOARD_CONFIG).")
    Path config;

    @Option(
            names = "--only",
            split = ",",
            description = "Services to run, comma-separated, e.g. compute,relay (env ONLY; default: all).")
    List<String> only;

    @Option(
            names = "--data-dir",
            defaultValue = "./data",
            description =
                    "Directory for embedded state: database files, logs (env DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Mixin
    ServerOptions server;

    @Mixin
    TracingOptions tracing;

    @Mixin
    ComputeOptions compute;

    @Mixin
    FanoutOptions fanout;

    @Mixin
    EyeOptions eye;

    @Mixin
    DistributeOptions distribute;

    @Mixin
    RelayOptions relay;

    /** Every service's options, in mount order; the relay's catch-all comes last. */
    private List<ServiceOptions> catalog() {
        return List.of(compute, fanout, eye, distribute, relay);
    }

    @Override
    public Integer call() throws Exception {
        List<Service> services = createServices();
        Switchboard.Running running = Switchboard.startOrExplain(server.toConfig(), services, tracing.toTracing());
        if (services.stream().anyMatch(s -> s.name().equals(relay.serviceName())) && relay.usesBuiltInMock()) {
            log.atInfo()
                    .addKeyValue("relay_backend", builtInBackend(running.port()))
                    .log(
                            "no --relay-backend configured: relaying to the built-in mock menu backend at {}",
                            builtInBackend(running.port()));
        }
        running.awaitTermination();
        return 0;
    }

    List<Service> createServices() {
        Set<String> known = new LinkedHashSet<>();
        catalog().forEach(options -> known.add(options.serviceName()));
        if (only != null) {
            for (String name : only) {
                if (!known.contains(name)) {
                    throw new ParameterException(
                            spec.commandLine(), "--only: unknown service '" + name + "'; known: " + known);
                }
            }
        }
        ServeSettings settings = new ServeSettings(server.toConfig(), dataDir, Clock.systemUTC());
        // A service without a configured backend calls its built-in mock on this same server; the
        // mocks are mounted first, each under its own prefix.
        List<Service> mocks = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        for (ServiceOptions options : catalog()) {
            if (only == null || only.contains(options.serviceName())) {
                services.add(options.create(settings));
                options.builtInMock().ifPresent(mocks::add);
            }
        }
        services.addAll(0, mocks);
        return services;
    }

    /** The built-in mock backend's base URL once the server's port is known. */
    static String builtInBackend(int port) {
        // The relay itself connects to the address each client reached; loopback is what a person types.
        return "http://127.0.0.1:" + port + RelayOptions.BUILT_IN_MOCK_PREFIX + "/api";
    }
}
