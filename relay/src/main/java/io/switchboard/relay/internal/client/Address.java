package io.switchboard.relay.internal.client;

import java.util.Locale;

/**
 * Where a request goes: one backend origin. Pooled connections are kept per address.
 *
 * @param host a host name or IP literal (IPv6 without brackets)
 * @param port the TCP port
 * @param ssl whether to speak TLS
 */
public record Address(String host, int port, boolean ssl) {

    /** The {@code Host} header for this address: the port only when it is not the scheme's default. */
    String hostHeader() {
        String name = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == (ssl ? 443 : 80) ? name : name + ":" + port;
    }

    @Override
    public String toString() {
        return (ssl ? "https://" : "http://") + hostHeader().toLowerCase(Locale.ROOT);
    }
}
