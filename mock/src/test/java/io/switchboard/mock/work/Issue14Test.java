package io.switchboard.mock.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.switchboard.platform.ServerConfig;
import io.switchboard.platform.testing.RunningPlatform;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, defect 1d: the work mock's control endpoints answer only on loopback unless remote
 * control is allowed, and a scenario delay is bounded.
 */
class Issue14Test {

    private RunningPlatform platform;

    @AfterEach
    void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    private void startOnAllInterfaces(WorkMockConfig config) {
        platform = RunningPlatform.start(
                new ServerConfig("0.0.0.0", 0, 1, 1_000, 1 << 20, Duration.ofSeconds(1)),
                Clock.systemUTC(),
                new WorkMockService(config));
    }

    /** An address of this machine that is not loopback, or null when it has none. */
    private static InetAddress nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return address;
                }
            }
        }
        return null;
    }

    private HttpResponse<String> setScenario(String host, String body) {
        return platform.send(
                HttpRequest.newBuilder(URI.create("http://" + host + ":" + platform.port() + "/setscenario"))
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
    }

    @Test
    void controlEndpointsRefuseClientsBeyondLoopback() throws Exception {
        InetAddress outside = nonLoopbackAddress();
        assumeThat(outside).as("a non-loopback interface").isNotNull();
        startOnAllInterfaces(WorkMockConfig.reliable());

        HttpResponse<String> remote = setScenario(outside.getHostAddress(), "[[\"x\", 200, 0]]");
        HttpResponse<String> remoteStats = platform.send(HttpRequest.newBuilder(
                        URI.create("http://" + outside.getHostAddress() + ":" + platform.port() + "/stats"))
                .build());
        HttpResponse<String> local = setScenario("127.0.0.1", "[[\"x\", 200, 0]]");

        assertThat(remote.statusCode()).isEqualTo(403);
        assertThat(remote.body()).contains("mock-control-refused", "--work-remote-control");
        assertThat(remoteStats.statusCode()).isEqualTo(403);
        assertThat(local.statusCode()).isEqualTo(200);
    }

    @Test
    void remoteControlCanBeAllowedExplicitly() throws Exception {
        InetAddress outside = nonLoopbackAddress();
        assumeThat(outside).as("a non-loopback interface").isNotNull();
        startOnAllInterfaces(WorkMockConfig.reliable().withRemoteControl(true));

        assertThat(setScenario(outside.getHostAddress(), "[[\"x\", 200, 0]]").statusCode())
                .isEqualTo(200);
    }

    @Test
    void aScenarioDelayBeyondTenMinutesIsRefusedNamingTheBound() {
        startOnAllInterfaces(WorkMockConfig.reliable());

        HttpResponse<String> response = setScenario("127.0.0.1", "[[\"x\", 200, 99999999999]]");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("delay_ms must be between 0 and 600000", "99999999999");
    }
}
