package io.switchboard.platform.problem;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Answers the requests the HTTP codec could not parse, below the router, with problems like every
 * other error: 414 for a request line longer than the limit, 431 for too many or too large
 * headers, 400 for the rest (malformed request line, a header without a colon, a bad {@code
 * Content-Length}). Vert.x's default answers these with an empty body.
 *
 * <p>The connection is closed after the answer: the codec has lost its place in the byte stream,
 * so nothing after the broken request can be read as a request.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {

    private final int maxInitialLineLength;
    private final int maxHeaderSize;

    /** The server's limits, stated in the problems' details. */
    public InvalidRequests(int maxInitialLineLength, int maxHeaderSize) {
        this.maxInitialLineLength = maxInitialLineLength;
        this.maxHeaderSize = maxHeaderSize;
    }

    @Override
    public void handle(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Problem problem = problemFor(result == null ? null : result.cause());
        String body = problem.toJson(null, UUID.randomUUID().toString()).encode();
        request.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                .end(body)
                .onComplete(done -> request.connection().close());
    }

    private Problem problemFor(@Nullable Throwable cause) {
        if (cause instanceof TooLongHttpLineException
                || (cause instanceof TooLongFrameException
                        && String.valueOf(cause.getMessage()).startsWith("An HTTP line is larger than"))) {
            return Problem.ofStatus(
                    414,
                    "URI too long",
                    "The request line is longer than the server accepts (" + maxInitialLineLength + " bytes)");
        }
        if (cause instanceof TooLongHttpHeaderException
                || (cause instanceof TooLongFrameException
                        && String.valueOf(cause.getMessage()).startsWith("HTTP header is larger than"))) {
            return Problem.ofStatus(
                    431,
                    "Request header fields too large",
                    "The request's headers are larger than the server accepts (" + maxHeaderSize + " bytes in all)");
        }
        String reason = cause == null || cause.getMessage() == null ? "it could not be parsed" : cause.getMessage();
        return Problem.ofStatus(400, "Bad request", "The request is not valid HTTP/1.1: " + reason);
    }
}
