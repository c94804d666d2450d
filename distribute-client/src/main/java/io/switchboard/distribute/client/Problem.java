package io.switchboard.distribute.client;

import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem as the server answers it ({@code application/problem+json}).
 *
 * @param type a URI naming the kind of problem, e.g. one ending in {@code /unknown-bundle}, or null when absent
 * @param title a short summary of the type, or null when absent
 * @param status the HTTP status
 * @param detail what went wrong with this request, for people, or null when absent
 * @param parameter the request parameter at fault, or null
 * @param requestId the server's id of the request (to find it in the server's log), or null
 */
public record Problem(
        @Nullable String type,
        @Nullable String title,
        int status,
        @Nullable String detail,
        @Nullable String parameter,
        @Nullable String requestId) {}
