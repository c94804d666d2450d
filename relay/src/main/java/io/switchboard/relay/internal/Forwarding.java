package io.switchboard.relay.internal;

import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The headers a relay adds on its way to the backend and back: {@code Via} (RFC 9110 §7.6.3), the
 * de-facto {@code X-Forwarded-For/-Proto/-Host} and their standard form {@code Forwarded} (RFC
 * 7239), and loop detection by the relay's own {@code Via} entry.
 *
 * <p>Trust: a peer in the trusted-proxy list forwards for someone else, so its {@code
 * X-Forwarded-*}/{@code Forwarded} are kept and the peer is appended. Any other peer's are
 * dropped and replaced by what the relay saw itself, since a client can write anything there.
 * Each field goes out as one line, so a backend that reads only the first line still sees the
 * whole chain.
 */
final class Forwarding {

    /** Fields that describe earlier hops, believed only from trusted proxies. */
    private static final List<String> FORWARDING_FIELDS =
            List.of("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded");

    /** Whitespace between a {@code Via} entry's protocol and its received-by name. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** The characters of a token besides letters and digits (RFC 9110 §5.6.2). */
    private static final String TOKEN_SYMBOLS = "!#$%&'*+.^_`|~-";

    /**
     * The last peer asked about and whether it is trusted. Requests on a kept-alive connection ask
     * about the same peer again and again, and parsing an address literal each time showed in
     * profiles; a race between loops only costs a recomputation.
     */
    private volatile PeerVerdict lastPeer = new PeerVerdict(null, false);

    private record PeerVerdict(@Nullable String peer, boolean trusted) {}

    /**
     * The last {@code Forwarded} element built, with what it was built from: a kept-alive
     * connection's requests repeat the same peer, host and scheme. Same race rule as {@link
     * #lastPeer}.
     */
    private volatile ForwardedElement lastElement = new ForwardedElement(null, null, "", "");

    private record ForwardedElement(
            @Nullable String peer, @Nullable String host, String scheme, String element) {
        boolean builtFrom(@Nullable String peer, @Nullable String host, String scheme) {
            return Objects.equals(this.peer, peer) && Objects.equals(this.host, host) && this.scheme.equals(scheme);
        }
    }

    private final String via;
    private final String pseudonym;
    private final TrustedProxies trusted;

    /** {@code pseudonym}: this relay's received-by name in {@code Via}, unique per instance. */
    Forwarding(String pseudonym, TrustedProxies trusted) {
        this.pseudonym = pseudonym;
        this.via = "1.1 " + pseudonym;
        this.trusted = trusted;
    }

    /** The {@code Via} entry this relay adds, e.g. {@code 1.1 switchboard-3f2a9c1b}. */
    String via() {
        return via;
    }

    /**
     * Whether a message already passed through this relay: one of its {@code Via} entries names our
     * pseudonym. Such a request has come back round a loop (a backend that leads to this server).
     */
    boolean passedThrough(List<String> viaLines) {
        for (String line : viaLines) {
            for (String entry : line.split(",")) {
                String[] parts = WHITESPACE.split(entry.trim());
                if (parts.length >= 2 && parts[1].equalsIgnoreCase(pseudonym)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Appends our entry to a message's {@code Via}, as one line after the earlier hops. */
    void appendVia(MultiMap headers) {
        headers.set("Via", joined(headers.getAll("via"), via));
    }

    /**
     * Sets the forwarding fields on {@code headers} (a copy of the client's end-to-end headers) for
     * a request from {@code peer} that reached us as {@code scheme://host}.
     */
    void addForwardedFor(MultiMap headers, @Nullable String peer, String scheme, @Nullable String host) {
        boolean fromProxy = trusts(peer);
        List<String> earlierFor = fromProxy ? headers.getAll("x-forwarded-for") : List.of();
        List<String> earlierForwarded = fromProxy ? headers.getAll("forwarded") : List.of();
        String proto = fromProxy && headers.contains("x-forwarded-proto") ? headers.get("x-forwarded-proto") : scheme;
        String forwardedHost =
                fromProxy && headers.contains("x-forwarded-host") ? headers.get("x-forwarded-host") : host;
        FORWARDING_FIELDS.forEach(headers::remove);
        if (peer != null) {
            headers.set("X-Forwarded-For", joined(earlierFor, peer));
        }
        headers.set("X-Forwarded-Proto", proto);
        if (forwardedHost != null) {
            headers.set("X-Forwarded-Host", forwardedHost);
        }
        headers.set("Forwarded", joined(earlierForwarded, element(peer, host, scheme)));
    }

    /** This hop's {@code Forwarded} element, e.g. {@code for=192.0.2.1;host="a:8080";proto=http}. */
    private String element(@Nullable String peer, @Nullable String host, String scheme) {
        ForwardedElement last = lastElement;
        if (last.builtFrom(peer, host, scheme)) {
            return last.element();
        }
        StringBuilder element = new StringBuilder();
        if (peer != null) {
            element.append("for=").append(node(peer)).append(';');
        }
        if (host != null) {
            element.append("host=").append(quotedIfNeeded(host)).append(';');
        }
        element.append("proto=").append(scheme.toLowerCase(Locale.ROOT));
        String built = element.toString();
        lastElement = new ForwardedElement(peer, host, scheme, built);
        return built;
    }

    private boolean trusts(@Nullable String peer) {
        PeerVerdict last = lastPeer;
        if (peer != null && peer.equals(last.peer())) {
            return last.trusted();
        }
        boolean verdict = trusted.trusts(peer);
        lastPeer = new PeerVerdict(peer, verdict);
        return verdict;
    }

    private static String joined(List<String> earlier, String last) {
        StringBuilder line = new StringBuilder();
        for (String value : earlier) {
            if (!value.isBlank()) {
                line.append(value.trim()).append(", ");
            }
        }
        return line.append(last).toString();
    }

    /** A {@code for=} node: IPv6 addresses are bracketed and quoted (RFC 7239 §6). */
    private static String node(String address) {
        return address.contains(":") ? "\"[" + address + "]\"" : address;
    }

    /** A value that is not a token (a port's colon, for one) is quoted (RFC 7239 §4). */
    private static String quotedIfNeeded(String value) {
        if (isToken(value)) {
            return value;
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Whether {@code value} is a token: one or more letters, digits and {@link #TOKEN_SYMBOLS}. */
    static boolean isToken(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && TOKEN_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
