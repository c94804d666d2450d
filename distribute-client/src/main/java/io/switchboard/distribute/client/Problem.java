package io.switchboard.distribute.client;

/**
 * An RFC 9457 problem as the server answers it ({@code application/problem+json}).
 *
 * @param type a URI naming the kind of problem, e.g. one ending in {@code /unknown-bundle}
 * @param title a short summary of the type
 * @param status the HTTP status
 * @param detail what went wrong with this request, for people
 * @param parameter the request parameter at fault, or null
 * @param requestId the server's id of the request (to find it in the server's log), or null
 */
public record Problem(String type, String title, int status, String detail, String parameter, String requestId) {}
