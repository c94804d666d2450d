package io.switchboard.platform;

import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;

/**
 * Checks every request passes before any route sees it, for what the HTTP codec lets through:
 * more than one {@code Host} (RFC 9112 §3.2: 400), and a {@code Connection} header whose token
 * list contains {@code close} among others ({@code keep-alive, close}), which the server would
 * otherwise keep open although the client asked to close (RFC 9112 §9.6).
 */
final class RequestChecks implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        List<String> hosts = request.headers().getAll(HttpHeaders.HOST);
        if (hosts.size() > 1) {
            throw new ProblemException(Problem.of(
                            400,
                            "invalid-request",
                            "Invalid request",
                            "The request carries " + hosts.size() + " Host headers; exactly one is allowed")
                    .withParameter("Host"));
        }
        if (request.version() != HttpVersion.HTTP_2
                && asksToClose(request.headers().getAll(HttpHeaders.CONNECTION))) {
            HttpConnection connection = request.connection();
            ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            ctx.addEndHandler(done -> connection.close());
        }
        ctx.next();
    }

    private static boolean asksToClose(List<String> connectionLines) {
        for (String line : connectionLines) {
            for (String token : line.split(",")) {
                if (token.trim().toLowerCase(Locale.ROOT).equals("close")) {
                    return true;
                }
            }
        }
        return false;
    }
}
