package io.switchboard.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server on a free port that answers with the exact bytes a test scripts, to check how
 * the client frames answers the way real servers can send them: in pieces, chunked, ended by a
 * close, broken. It records every request it read (head and body, as text).
 */
final class RawHttpServer implements AutoCloseable {

    /** Writes the answer to one request; returns false to close the connection after it. */
    @FunctionalInterface
    interface Script {
        boolean answer(String request, OutputStream out) throws IOException;
    }

    private final ServerSocket socket;
    private final Script script;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();

    private RawHttpServer(ServerSocket socket, Script script) {
        this.socket = socket;
        this.script = script;
    }

    static RawHttpServer start(Script script) throws IOException {
        RawHttpServer server = new RawHttpServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
        Thread.ofVirtual().start(server::accept);
        return server;
    }

    /** Answers every request with {@code answer}, written one byte at a time (each byte its own packet). */
    static RawHttpServer byteByByte(String answer) throws IOException {
        byte[] bytes = answer.getBytes(StandardCharsets.ISO_8859_1);
        return start((request, out) -> {
            for (byte b : bytes) {
                out.write(b);
                out.flush();
            }
            return true;
        });
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + pathAndQuery);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connection.setTcpNoDelay(true);
                open.add(connection);
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            String request;
            while ((request = readRequest(in)) != null) {
                requests.add(request);
                if (!script.answer(request, out)) {
                    return;
                }
                out.flush();
            }
        } catch (IOException ended) {
            // the client closed or reset the connection
        }
    }

    /** Reads one request's head and its Content-Length body; null at the end of the stream. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] sofar = head.toByteArray();
            int n = sofar.length;
            if (n >= 4
                    && sofar[n - 4] == '\r'
                    && sofar[n - 3] == '\n'
                    && sofar[n - 2] == '\r'
                    && sofar[n - 1] == '\n') {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                int length = contentLength(text);
                return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket connection : open) {
            connection.close();
        }
    }
}
