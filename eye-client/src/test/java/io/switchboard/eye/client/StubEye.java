package io.switchboard.eye.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A scripted {@code POST /events} on a real socket (port 0), for faults a real eye does not make on
 * demand: 429 with a date, 413, answers that never come. Records every request it received.
 */
final class StubEye implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received: its headers and its body, inflated when it was gzip. */
    record Received(Headers headers, byte[] rawBody, String json, long nanos) {

        List<String> ids() {
            List<String> ids = new ArrayList<>();
            try {
                for (JsonNode event : JSON.readTree(json)) {
                    ids.add(event.get("id").asText());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return ids;
        }
    }

    interface Script {
        /** Answers request number {@code call} (0-based); returns the status, having set headers. */
        int answer(int call, Received request, Headers responseHeaders) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    final List<Received> received = new CopyOnWriteArrayList<>();

    StubEye(Script script) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads); // a script may hold a request; others must still be answered
        server.createContext("/events", exchange -> {
            try (exchange) {
                Received request = read(exchange);
                int call;
                synchronized (received) {
                    call = received.size();
                    received.add(request);
                }
                int status = script.answer(call, request, exchange.getResponseHeaders());
                byte[] body = (status == 202 ? accepted(request) : "{\"status\":" + status + "}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            } catch (Exception e) {
                exchange.sendResponseHeaders(599, -1);
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static Received read(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        byte[] plain = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                ? new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes()
                : raw;
        return new Received(
                exchange.getRequestHeaders(), raw, new String(plain, StandardCharsets.UTF_8), System.nanoTime());
    }

    private static String accepted(Received request) {
        return "{\"ids\":" + JSON.valueToTree(request.ids()) + ",\"duplicate_ids\":[]}";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
