package io.switchboard.distribute.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A JDK HTTP server on port 0 answering what a test's script says, recording every request. Each
 * request is handled on its own thread, so a script may hold one (a long poll) while others pass.
 */
final class StubServer implements AutoCloseable {

    /** One request as it arrived. */
    record Request(String method, String path, String query, String authorization, byte[] body, long nanoTime) {

        /** {@code "POST /distribute/tasks?wait=60s"}. */
        String line() {
            return method + " " + path + (query == null ? "" : "?" + query);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer; {@code body} may be empty. */
    record Reply(int status, Map<String, String> headers, String body) {

        static Reply json(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "application/json"), body);
        }

        /** No answer at all: the connection is closed. */
        static Reply drop() {
            return new Reply(-1, Map.of(), "");
        }

        static Reply empty(int status) {
            return new Reply(status, Map.of(), "");
        }

        static Reply problem(int status, String type, String detail, String parameter) {
            String parameterField = parameter == null ? "" : ",\"parameter\":\"" + parameter + "\"";
            return new Reply(
                    status,
                    Map.of("Content-Type", "application/problem+json"),
                    "{\"type\":\"https://switchboard.io/problems/" + type + "\",\"title\":\"" + type + "\",\"status\":"
                            + status + ",\"detail\":\"" + detail + "\"" + parameterField
                            + ",\"request_id\":\"r-1\"}");
        }

        Reply withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, more, body);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Function<Request, Reply> script;

    StubServer(Function<Request, Reply> script) throws IOException {
        this.script = script;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<String> lines() {
        return requests.stream().map(Request::line).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Request request = new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestBody().readAllBytes(),
                    System.nanoTime());
            requests.add(request);
            Reply reply;
            try {
                reply = script.apply(request);
            } catch (RuntimeException e) {
                reply = Reply.json(500, "{\"detail\":\"stub script failed: " + e + "\"}");
            }
            if (reply.status() < 0) {
                throw new IOException("the script drops this connection without an answer");
            }
            reply.headers()
                    .forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            boolean noBody = body.length == 0 || request.method().equals("HEAD");
            exchange.sendResponseHeaders(reply.status(), noBody ? -1 : body.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
