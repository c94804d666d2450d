package io.switchboard.relay.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The peers whose {@code X-Forwarded-*} and {@code Forwarded} headers the relay believes: a list of
 * IP addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code ::1}). Only literals are accepted, so
 * that parsing never resolves a name (which could block an event loop).
 */
public final class TrustedProxies {

    /** One address range: the network's bytes and how many leading bits must match. */
    private record Range(byte[] network, int bits) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * Parses {@code entries}; throws naming the first entry that is not an IP literal or CIDR range.
     */
    public static TrustedProxies parse(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : entries) {
            ranges.add(range(entry));
        }
        return new TrustedProxies(List.copyOf(ranges));
    }

    private static Range range(String entry) {
        String trimmed = entry == null ? "" : entry.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException(
                    "trusted proxy must be an IP address or CIDR range like 10.0.0.0/8, was '" + entry + "'");
        }
        int bits = bytes.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException(
                        "trusted proxy prefix length must be 0.." + bytes.length * 8 + ", was '" + entry + "'");
            }
        }
        return new Range(bytes, bits);
    }

    /** The bytes of an IPv4 or IPv6 literal, or null for anything else (never a DNS lookup). */
    static byte @Nullable [] literal(String address) {
        String plain =
                address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        if (plain.isEmpty() || plain.length() > 45 || !plain.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        if (!plain.contains(":") && !plain.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null;
        }
        try {
            return InetAddress.getByName(plain).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether {@code address} (an IP literal; anything else is untrusted) is a trusted proxy. */
    public boolean trusts(@Nullable String address) {
        if (address == null || ranges.isEmpty()) {
            return false;
        }
        byte[] bytes = literal(address);
        if (bytes == null) {
            return false;
        }
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }
}
