package io.switchboard.platform.problem;

import io.switchboard.platform.observability.RequestIds;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into an {@code application/problem+json} answer. This is the one place where
 * exceptions become statuses: {@link ProblemException} carries its own, Vert.x Web's {@link
 * HttpException} (413 from body limits, 404, 405) keeps its status, and anything else is a 500
 * whose cause is logged, never sent to the client. A 401 always carries a {@code
 * WWW-Authenticate} challenge; a 413 states the limit.
 */
public final class ProblemResponses {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    /** Titles for the statuses the router produces by itself. */
    private static final Map<Integer, String> TITLES = Map.of(
            400, "Bad request",
            404, "Not found",
            405, "Method not allowed",
            406, "Not acceptable",
            413, "Content too large",
            415, "Unsupported media type",
            500, "Internal server error",
            503, "Service unavailable");

    /** Sent with a 401 that names no scheme itself: RFC 9110 §15.5.2 requires a challenge. */
    static final String DEFAULT_CHALLENGE = "Bearer realm=\"switchboard\"";

    private ProblemResponses() {}

    /**
     * The router's failure handler, stating the server's body limit in 413 problems (raised by
     * body handlers, which know the limit but do not say it).
     */
    public static Handler<RoutingContext> failureHandler(long maxBodyBytes) {
        return ctx -> {
            if (!(ctx.failure() instanceof ProblemException) && statusOf(ctx) == 413) {
                send(
                        ctx,
                        Problem.ofStatus(
                                413,
                                TITLES.getOrDefault(413, "Content too large"),
                                "The request body is larger than the server accepts (" + maxBodyBytes + " bytes)"),
                        null);
                return;
            }
            handleFailure(ctx);
        };
    }

    private static int statusOf(RoutingContext ctx) {
        return ctx.failure() instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    }

    /** The router's failure handler and error handler. */
    public static void handleFailure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ProblemException problem) {
            send(ctx, problem.problem(), problem.retryAfter());
            return;
        }
        int status = statusOf(ctx);
        if (status < 400) {
            status = 500;
        }
        if (ctx.response().closed()) {
            // The client left (e.g. mid-body): nobody to answer, and no server error to report.
            log.atDebug()
                    .addKeyValue("request_id", RequestIds.of(ctx))
                    .addKeyValue("path", ctx.request().path())
                    .log("client left before the answer: {}", String.valueOf(failure));
            return;
        }
        if (status >= 500) {
            log.atError()
                    .setCause(failure)
                    .addKeyValue("request_id", RequestIds.of(ctx))
                    .addKeyValue("path", ctx.request().path())
                    .log("request failed");
        }
        send(ctx, Problem.ofStatus(status, TITLES.getOrDefault(status, "Error"), detailFor(ctx, status)), null);
    }

    /** Sends {@code problem} unless an answer has already started (then only closes it). */
    public static void send(RoutingContext ctx, Problem problem, @Nullable Duration retryAfter) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            // The status line is gone; the only honest signal left is an aborted connection.
            ctx.request().connection().close();
            return;
        }
        response.setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (problem.status() == 401 && !response.headers().contains("WWW-Authenticate")) {
            response.putHeader("WWW-Authenticate", DEFAULT_CHALLENGE);
        }
        if (retryAfter != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        response.end(problem.toJson(ctx.request().path(), RequestIds.of(ctx)).encode());
    }

    private static String detailFor(RoutingContext ctx, int status) {
        return switch (status) {
            case 404 -> "No route for " + ctx.request().path();
            case 405 ->
                "Method " + ctx.request().method() + " is not allowed on "
                        + ctx.request().path();
            case 406 ->
                "None of the media types in Accept can be produced for "
                        + ctx.request().path();
            case 413 -> "The request body is larger than the server accepts";
            case 500 -> "The server failed to answer; the request id identifies it in the logs";
            default -> TITLES.getOrDefault(status, "Error");
        };
    }
}
