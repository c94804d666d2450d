package io.switchboard.relay.internal;

import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A request target the relay agreed to forward: the client's raw path and query, exactly as sent,
 * proven not to leave the backend's base path.
 *
 * <p>Only origin-form targets ({@code /path?query}) are accepted: absolute-form ({@code GET
 * http://elsewhere/}) and asterisk-form targets would turn the relay into an open proxy. A path
 * segment that is {@code ..} after percent-decoding (also {@code %2e%2e}, {@code ..%2f}, {@code
 * ..;}) is refused rather than normalised, because backends disagree on how they normalise and the
 * relay must never be the one that decides.
 *
 * @param pathAndQuery the raw target, appended verbatim to the backend's base path
 */
public record RelayTarget(String pathAndQuery) {

    /** What splits a decoded segment further: a slash or a backslash (some backends read it as one). */
    private static final java.util.regex.Pattern SEPARATORS = java.util.regex.Pattern.compile("[/\\\\]");

    /** Parses {@code rawUri} (the request line's target) or fails with a 400 problem. */
    public static RelayTarget parse(String rawUri) {
        if (rawUri == null || !rawUri.startsWith("/")) {
            throw refused("only origin-form request targets (/path?query) are relayed, was '" + rawUri + "'");
        }
        if (rawUri.indexOf('#') >= 0) {
            throw refused("a request target must not carry a fragment");
        }
        int query = rawUri.indexOf('?');
        String path = query < 0 ? rawUri : rawUri.substring(0, query);
        for (String segment : path.split("/", -1)) {
            String decoded = decode(segment);
            boolean split = decoded.indexOf('/') >= 0 || decoded.indexOf('\\') >= 0;
            for (String piece : split ? SEPARATORS.split(decoded, -1) : new String[] {decoded}) {
                if (piece.equals("..") || piece.startsWith("..;")) {
                    throw refused("the path must not contain '..' segments (also percent-encoded): " + rawUri);
                }
            }
        }
        return new RelayTarget(rawUri);
    }

    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw refused("malformed percent-encoding in the path");
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw refused("malformed percent-encoding in the path");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static ProblemException refused(String detail) {
        return new ProblemException(Problem.of(400, "relay-target-refused", "Request target not relayed", detail)
                .withParameter("path"));
    }
}
