package io.switchboard.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ForwardingTest {

    private final Forwarding forwarding =
            new Forwarding("switchboard-test", TrustedProxies.parse(List.of("10.0.0.0/8")));

    @ParameterizedTest
    @ValueSource(strings = {"example.org", "a", "A-Z_0.9", "!#$%&'*+.^_`|~-"})
    void tokensAreRecognised(String value) {
        assertThat(Forwarding.isToken(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "host:8080", "a b", "\"quoted\"", "[::1]", "é"})
    void nonTokensAreNot(String value) {
        assertThat(Forwarding.isToken(value)).isFalse();
    }

    @Test
    void anUntrustedPeersForwardingFieldsAreReplacedByWhatTheRelaySaw() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("X-Forwarded-For", "203.0.113.9")
                .add("Forwarded", "for=203.0.113.9");

        forwarding.addForwardedFor(headers, "192.0.2.1", "http", "relay.example:8080");

        assertThat(headers.get("X-Forwarded-For")).isEqualTo("192.0.2.1");
        assertThat(headers.get("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(headers.get("X-Forwarded-Host")).isEqualTo("relay.example:8080");
        assertThat(headers.getAll("Forwarded")).containsExactly("for=192.0.2.1;host=\"relay.example:8080\";proto=http");
    }

    @Test
    void aTrustedProxysChainIsKeptAndThePeerAppended() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("X-Forwarded-For", "203.0.113.9")
                .add("Forwarded", "for=203.0.113.9");

        forwarding.addForwardedFor(headers, "10.1.2.3", "HTTPS", "example.org");

        assertThat(headers.get("X-Forwarded-For")).isEqualTo("203.0.113.9, 10.1.2.3");
        assertThat(headers.get("Forwarded")).isEqualTo("for=203.0.113.9, for=10.1.2.3;host=example.org;proto=https");
    }

    @Test
    void eachRequestGetsTheElementOfItsOwnPeerHostAndScheme() {
        // The element of the previous request is reused only when all three are the same.
        MultiMap first = MultiMap.caseInsensitiveMultiMap();
        forwarding.addForwardedFor(first, "192.0.2.1", "http", "a.example");
        MultiMap samePeerOtherHost = MultiMap.caseInsensitiveMultiMap();
        forwarding.addForwardedFor(samePeerOtherHost, "192.0.2.1", "http", "b.example");
        MultiMap ipv6WithoutHost = MultiMap.caseInsensitiveMultiMap();
        forwarding.addForwardedFor(ipv6WithoutHost, "2001:db8::1", "http", null);
        MultiMap firstAgain = MultiMap.caseInsensitiveMultiMap();
        forwarding.addForwardedFor(firstAgain, "192.0.2.1", "http", "a.example");

        assertThat(first.get("Forwarded")).isEqualTo("for=192.0.2.1;host=a.example;proto=http");
        assertThat(samePeerOtherHost.get("Forwarded")).isEqualTo("for=192.0.2.1;host=b.example;proto=http");
        assertThat(ipv6WithoutHost.get("Forwarded")).isEqualTo("for=\"[2001:db8::1]\";proto=http");
        assertThat(firstAgain.get("Forwarded")).isEqualTo(first.get("Forwarded"));
    }

    @Test
    void aMessageThatPassedThroughThisRelayIsRecognisedByItsViaEntry() {
        assertThat(forwarding.passedThrough(List.of("1.1 proxy-a, 1.0 Switchboard-Test")))
                .isTrue();
        assertThat(forwarding.passedThrough(List.of("1.1 switchboard-other"))).isFalse();
    }
}
