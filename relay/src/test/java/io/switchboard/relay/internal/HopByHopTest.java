package io.switchboard.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HopByHopTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Connection",
                "keep-alive",
                "Proxy-Connection",
                "proxy-authenticate",
                "PROXY-AUTHORIZATION",
                "TE",
                "Trailer",
                "transfer-encoding",
                "Upgrade"
            })
    void theFixedConnectionFieldsAreHopByHopInAnyCase(String name) {
        assertThat(HopByHop.isFixed(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "t", "ted", "Content-Type", "Trailers", "upgrades", "keep_alive", "Authorization"})
    void otherFieldsAreNot(String name) {
        assertThat(HopByHop.isFixed(name)).isFalse();
    }

    @Test
    void aCopyKeepsEndToEndFieldsInOrderAndDropsTheFixedOnesThoseNamedInConnectionAndTheExceptions() {
        MultiMap from = MultiMap.caseInsensitiveMultiMap()
                .add("Accept", "text/html")
                .add("Connection", "keep-alive, X-Hop")
                .add("X-Hop", "1")
                .add("Transfer-Encoding", "chunked")
                .add("Host", "example.org")
                .add("Accept", "application/json")
                .add("x-request-id", "abc");

        MultiMap copy = HopByHop.endToEnd(from, Set.of("host"));

        assertThat(copy.names()).containsExactlyInAnyOrder("Accept", "x-request-id");
        assertThat(copy.getAll("accept")).containsExactly("text/html", "application/json");
    }
}
