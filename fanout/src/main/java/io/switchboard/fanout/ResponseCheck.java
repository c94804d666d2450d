package io.switchboard.fanout;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The success predicate of an HTTP attempt: turns a status and a body into the attempt's value, or
 * rejects them with an {@link AttemptFailedException} ({@link AttemptFailure.Kind#STATUS} or
 * {@link AttemptFailure.Kind#INVALID_BODY}).
 *
 * @param <T> the value of a successful attempt
 */
@FunctionalInterface
interface ResponseCheck<T> {

    /** Longest part of a rejected body quoted in a failure's detail. */
    int QUOTE_LIMIT = 60;

    T check(int status, Buffer body);

    /**
     * The work endpoint's contract: status 200 and a JSON object whose {@code time} is an integer,
     * e.g. {@code {"time": 250}}. The object is passed on as received.
     */
    static ResponseCheck<JsonObject> workTime() {
        return (status, body) -> {
            if (status != 200) {
                throw new AttemptFailedException(AttemptFailure.Kind.STATUS, "status " + status);
            }
            JsonObject json;
            try {
                json = new JsonObject(body);
            } catch (DecodeException | ClassCastException e) {
                throw new AttemptFailedException(
                        AttemptFailure.Kind.INVALID_BODY, "invalid body (not a JSON object): " + quote(body));
            }
            if (!(json.getValue("time") instanceof Number time)
                    || time.doubleValue() != Math.rint(time.doubleValue())) {
                throw new AttemptFailedException(
                        AttemptFailure.Kind.INVALID_BODY, "invalid body (no integer \"time\"): " + quote(body));
            }
            return json;
        };
    }

    /** The body, cut to {@link #QUOTE_LIMIT} characters, for failure details. */
    static String quote(Buffer body) {
        String text = body.toString();
        return text.length() <= QUOTE_LIMIT ? "'" + text + "'" : "'" + text.substring(0, QUOTE_LIMIT) + "...'";
    }
}
