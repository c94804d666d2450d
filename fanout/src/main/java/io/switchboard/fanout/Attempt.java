package io.switchboard.fanout;

/**
 * One call to the upstream within a fan-out.
 *
 * @param requestId id of the request that caused the fan-out, for logs and upstream headers
 * @param index 1-based position in firing order; 1 is the first attempt
 * @param target what is called (the URL), as the upstream describes it
 */
public record Attempt(String requestId, int index, String target) {}
