package io.switchboard.eye;

import io.switchboard.eye.ApiKeys.Caller;
import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Who sent a request: the application and scope of its {@code Authorization: Bearer} key, from the
 * key cache or else the database (on a worker thread); a 401 problem naming {@code Authorization}
 * for a missing, malformed, unknown or revoked key.
 */
final class Authentication {

    private final Vertx vertx;
    private final ApiKeys apiKeys;
    private final KeyCache keyCache;

    Authentication(Vertx vertx, ApiKeys apiKeys, KeyCache keyCache) {
        this.vertx = vertx;
        this.apiKeys = apiKeys;
        this.keyCache = keyCache;
    }

    static ProblemException forbidden(String parameter, String detail) {
        return new ProblemException(
                Problem.of(403, "forbidden", "Forbidden", detail).withParameter(parameter));
    }

    /** The application and scope of the request's bearer key, or a 401 problem. */
    Future<Caller> caller(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            return Future.failedFuture(unauthorized("Send the application's API key as 'Authorization: Bearer <key>'"));
        }
        String key = header.substring(7).strip();
        Optional<Caller> cached = keyCache.get(key);
        if (cached != null) {
            return cached.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(unknownKey()));
        }
        return vertx.executeBlocking(() -> apiKeys.callerOf(ApiKeys.hash(key)), false)
                .compose(caller -> {
                    keyCache.put(key, caller);
                    return caller.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(unknownKey()));
                });
    }

    private static ProblemException unknownKey() {
        return unauthorized("The API key is unknown or revoked");
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(
                Problem.of(401, "unauthorized", "Unauthorized", detail).withParameter("Authorization"));
    }
}
