package io.switchboard.eye.query;

import io.switchboard.platform.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Keyset position in the (timestamp, id) order: the last row of the previous page. Opaque to
 * clients (base64url of {@code micros:id}), so the encoding can change without breaking them.
 */
public record PageCursor(long timestampMicros, String id) {

    public String encode() {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((timestampMicros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor from a previous answer, or fails with a 400 naming {@code cursor}. */
    public static PageCursor decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException("no separator");
            }
            return new PageCursor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidParameter(
                    "cursor", "'cursor' must be a next_cursor value from a previous answer");
        }
    }
}
