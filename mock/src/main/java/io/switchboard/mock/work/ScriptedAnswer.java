package io.switchboard.mock.work;

import io.vertx.core.json.JsonArray;
import java.util.Locale;

/**
 * One entry of a scenario: what the mock answers to one request. The seed's form is {@code [body,
 * status, delay_ms]}; an optional fourth element scripts a fault.
 *
 * @param body the response body, sent as is (it may be broken JSON on purpose)
 * @param status HTTP status
 * @param delayMillis how long before the answer (for {@link Fault#SLOW_BODY}: how long the body
 *     takes to trickle out after the head)
 * @param fault how the answer misbehaves
 */
record ScriptedAnswer(String body, int status, long delayMillis, Fault fault) {

    /** Longest scripted delay: ten minutes covers any timeout worth testing, and no timer outlives it. */
    public static final long MAX_DELAY_MILLIS = 600_000;

    /** Ways an answer can misbehave beyond its status and body. */
    public enum Fault {
        /** A plain answer after the delay. */
        NONE,
        /** The connection is closed after the delay, with no answer. */
        RESET,
        /** The head goes at once and the body trickles out over the delay. */
        SLOW_BODY,
        /** Never answered; the request is held until the client gives up. */
        HANG;

        static Fault parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "reset" -> RESET;
                case "slow-body" -> SLOW_BODY;
                case "hang" -> HANG;
                default ->
                    throw new IllegalArgumentException(
                            "fault must be one of none, reset, slow-body, hang; was '" + name + "'");
            };
        }
    }

    public ScriptedAnswer {
        if (body == null) {
            throw new IllegalArgumentException("body must not be null");
        }
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be between 100 and 599, was " + status);
        }
        if (delayMillis < 0 || delayMillis > MAX_DELAY_MILLIS) {
            throw new IllegalArgumentException(
                    "delay_ms must be between 0 and " + MAX_DELAY_MILLIS + " (ten minutes), was " + delayMillis);
        }
    }

    /**
     * Reads {@code [body, status, delay_ms]} or {@code [body, status, delay_ms, fault]}.
     *
     * @throws IllegalArgumentException naming the entry's index and what is wrong with it
     */
    static ScriptedAnswer parse(JsonArray entry, int index) {
        try {
            if (entry.size() < 3 || entry.size() > 4) {
                throw new IllegalArgumentException(
                        "expected [body, status, delay_ms] or [body, status, delay_ms, fault]");
            }
            Object body = entry.getValue(0);
            String text = body instanceof String s ? s : String.valueOf(body);
            Fault fault = entry.size() == 4 ? Fault.parse(entry.getString(3)) : Fault.NONE;
            return new ScriptedAnswer(text, entry.getInteger(1), entry.getLong(2), fault);
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("scenario entry " + index + ": wrong type of element", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("scenario entry " + index + ": " + e.getMessage(), e);
        }
    }
}
