package io.switchboard.app.serve;

import io.switchboard.platform.Service;
import java.util.Optional;

/**
 * The command-line face of one service: its options (a picocli mixin) and how they become the
 * service's typed configuration. {@code serve} lists one per service, in mount order.
 */
interface ServiceOptions {

    /** The name used by {@code serve --only}; equals the created service's name. */
    String serviceName();

    /**
     * Validates the options into the service's configuration and creates the service.
     *
     * @throws IllegalArgumentException naming the option whose value is wrong
     */
    Service create(ServeSettings settings);

    /**
     * The mock backend {@code serve} mounts beside the service when no backend is configured, or
     * empty. The service's config then names it by port 0 ({@code ThisServer}); this is the one way
     * a built-in mock is wired, for every service that has one.
     */
    default Optional<Service> builtInMock() {
        return Optional.empty();
    }
}
