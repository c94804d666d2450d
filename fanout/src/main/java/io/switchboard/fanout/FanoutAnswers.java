package io.switchboard.fanout;

import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * What the endpoints answer: the success's JSON (single-answer endpoints, with the winning attempt
 * in {@code X-Fanout-Winner}) or a JSON array of them, with the attempts fired in {@code
 * X-Fanout-Attempts}; and the one place fan-out failures become statuses (504, 502).
 */
final class FanoutAnswers {

    private FanoutAnswers() {}

    static void respond(RoutingContext ctx, FanoutService.Endpoint endpoint, FanoutResult<JsonObject> result) {
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(FanoutService.ATTEMPTS_HEADER, Integer.toString(result.fired()));
        if (endpoint.singleAnswer()) {
            FanoutResult.Answer<JsonObject> answer = result.answers().get(0);
            ctx.response().putHeader(FanoutService.WINNER_HEADER, Integer.toString(answer.attempt()));
            ctx.response().end(answer.value().encode());
        } else {
            ctx.response().end(new JsonArray(List.copyOf(result.values())).encode());
        }
    }

    /** The one place fan-out failures become statuses. */
    static Throwable toProblem(Throwable failure) {
        if (!(failure instanceof FanoutException fanout)) {
            return failure;
        }
        Problem problem = switch (fanout.reason()) {
            case DEADLINE -> Problem.of(504, "fanout-timeout", "Backend did not answer in time", fanout.getMessage());
            case ALL_FAILED -> Problem.of(502, "fanout-all-failed", "Backend failed", fanout.getMessage());
            // Only reached if the client left; nobody reads this answer.
            case ABANDONED -> Problem.of(503, "fanout-abandoned", "Request abandoned", fanout.getMessage());
        };
        return new ProblemException(problem);
    }
}
