package io.switchboard.relay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends a request exactly as written over a socket, for what {@code java.net.http} refuses to send:
 * absolute-form targets, unnormalised paths, Host and Connection headers.
 */
final class RawHttp {

    private RawHttp() {}

    /** Sends {@code requestHead} (lines without the final blank line; Connection: close is added). */
    static String send(int port, String... lines) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            StringBuilder request = new StringBuilder();
            for (String line : lines) {
                request.append(line).append("\r\n");
            }
            request.append("\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException("raw request failed", e);
        }
    }

    static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }
}
