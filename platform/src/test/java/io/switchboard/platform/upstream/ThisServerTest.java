package io.switchboard.platform.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.SocketAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ThisServerTest {

    private static final URI BUILT_IN = URI.create("http://127.0.0.1:0/_mock/work/api/work");

    @Test
    void portZeroIsThisServerAtTheAddressTheClientReached() {
        URI resolved = ThisServer.resolve(BUILT_IN, SocketAddress.inetSocketAddress(8123, "10.1.2.3"));

        assertThat(resolved).isEqualTo(URI.create("http://10.1.2.3:8123/_mock/work/api/work"));
    }

    @Test
    void anIpv6AddressIsBracketed() {
        URI resolved = ThisServer.resolve(BUILT_IN, SocketAddress.inetSocketAddress(8123, "::1"));

        assertThat(resolved.getHost()).startsWith("[").endsWith("]");
        assertThat(resolved.getPort()).isEqualTo(8123);
        assertThat(resolved.getPath()).isEqualTo("/_mock/work/api/work");
    }

    @Test
    void aBackendElsewhereIsLeftAlone() {
        URI elsewhere = URI.create("http://backend:8080/api/work");

        assertThat(ThisServer.isNamedBy(elsewhere)).isFalse();
        assertThat(ThisServer.resolve(elsewhere, SocketAddress.inetSocketAddress(8123, "10.1.2.3")))
                .isSameAs(elsewhere);
    }
}
