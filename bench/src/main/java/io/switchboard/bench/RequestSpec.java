package io.switchboard.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One request the load generator sends: method, absolute http(s) URL, headers and body.
 *
 * @param method HTTP method, upper case ({@code GET}, {@code POST}, ...)
 * @param uri absolute {@code http} or {@code https} URL; other schemes are refused so the tool
 *     cannot be pointed at anything but a web server
 * @param headers request headers, in order
 * @param body request body; empty for none
 */
public record RequestSpec(String method, URI uri, List<Header> headers, byte[] body) {

    /** One request header. */
    public record Header(String name, String value) {

        public Header {
            if (name == null || name.isBlank() || !name.chars().allMatch(Header::isTokenChar)) {
                throw new IllegalArgumentException("header name '" + name + "' is not a valid HTTP token");
            }
            if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + name + " has a missing or multi-line value");
            }
        }

        /** Reads {@code Name: value}, as curl's and wrk's {@code -H} take it. */
        public static Header parse(String line) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("header '" + line + "' must look like 'Name: value'");
            }
            return new Header(
                    line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }

        private static boolean isTokenChar(int c) {
            return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
        }
    }

    public RequestSpec {
        if (method == null || !method.matches("[A-Za-z]+")) {
            throw new IllegalArgumentException("method '" + method + "' is not an HTTP method");
        }
        method = method.toUpperCase(Locale.ROOT);
        uri = checkedUri(uri);
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body.clone();
    }

    public static RequestSpec get(URI uri) {
        return new RequestSpec("GET", uri, List.of(), new byte[0]);
    }

    /**
     * Reads one line of a request file: {@code METHOD URL [body]}; the body is the rest of the line,
     * taken literally.
     */
    public static RequestSpec parseLine(String line, List<Header> headers) {
        String[] parts = line.trim().split("\\s+", 3);
        if (parts.length < 2) {
            throw new IllegalArgumentException("request line '" + line + "' must look like 'METHOD URL [body]'");
        }
        byte[] body = parts.length == 3 ? parts[2].getBytes(StandardCharsets.UTF_8) : new byte[0];
        return new RequestSpec(parts[0], parseUri(parts[1]), headers, body);
    }

    /** Parses a target URL and checks that it is an absolute http(s) URL with a host. */
    public static URI parseUri(String text) {
        try {
            return checkedUri(new URI(text));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("URL '" + text + "' is not a valid URL: " + e.getReason());
        }
    }

    private static URI checkedUri(URI uri) {
        if (uri == null) {
            throw new IllegalArgumentException("a target URL is required");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("URL " + uri + " must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("URL " + uri + " has no host");
        }
        return uri;
    }

    /** The path and query sent on the request line ({@code /} when the URL has no path). */
    public String pathAndQuery() {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /** The port, defaulted from the scheme. */
    public int port() {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    public boolean tls() {
        return uri.getScheme().equalsIgnoreCase("https");
    }
}
