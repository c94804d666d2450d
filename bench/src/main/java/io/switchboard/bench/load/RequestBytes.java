package io.switchboard.bench.load;

import io.switchboard.bench.RequestSpec;
import io.switchboard.bench.RequestSpec.Header;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * A request encoded once as HTTP/1.1 bytes, in a read-only direct buffer that every connection
 * writes from (through its own view), so sending costs no encoding and no copy into native memory.
 *
 * <p>What is added to the plan's headers, as the Vert.x client does: {@code Host} (with the port
 * when it is not the scheme's default) unless given, and {@code Content-Length} when there is a
 * body or the method usually carries one, unless a length or a transfer coding is given.
 *
 * @param bytes the whole request, read-only; use {@link #view()} to write it
 * @param head whether the method is HEAD (its answer has no body)
 */
record RequestBytes(ByteBuffer bytes, boolean head) {

    /** Methods that send {@code Content-Length: 0} without a body, since servers may wait for one. */
    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

    static RequestBytes of(RequestSpec request) {
        StringBuilder head = new StringBuilder(128)
                .append(request.method())
                .append(' ')
                .append(request.pathAndQuery())
                .append(" HTTP/1.1\r\n");
        if (!has(request, "host")) {
            head.append("Host: ").append(request.uri().getHost());
            if (request.uri().getPort() > 0) {
                head.append(':').append(request.uri().getPort());
            }
            head.append("\r\n");
        }
        for (Header header : request.headers()) {
            head.append(header.name()).append(": ").append(header.value()).append("\r\n");
        }
        byte[] body = request.body();
        boolean framed = has(request, "content-length") || has(request, "transfer-encoding");
        if (!framed && (body.length > 0 || BODY_METHODS.contains(request.method()))) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + body.length);
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        byte[] encoded = out.toByteArray();
        ByteBuffer direct =
                ByteBuffer.allocateDirect(encoded.length).put(encoded).flip();
        return new RequestBytes(direct.asReadOnlyBuffer(), request.method().equals("HEAD"));
    }

    /** A fresh view for one connection: its position moves as it writes, independently of others. */
    ByteBuffer view() {
        return bytes.duplicate();
    }

    private static boolean has(RequestSpec request, String lowerCaseName) {
        return request.headers().stream()
                .anyMatch(header -> header.name().toLowerCase(Locale.ROOT).equals(lowerCaseName));
    }
}
