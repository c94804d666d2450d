package io.switchboard.eye.client;

/**
 * What {@link EyeClient#send} does when the buffer (events not yet acknowledged or failed) is at
 * its bound of events or bytes.
 */
public enum Overflow {
    /**
     * The event is not buffered: its future fails at once with an {@link EyeClientException} of
     * status 0, the listener hears {@link EyeClient.Listener#dropped}, and {@link
     * EyeClient.Stats#dropped()} counts it. {@code send} never blocks. The default, as in
     * analytics clients: an application must not stall because its analytics are slow.
     */
    DROP,
    /**
     * {@code send} waits for room up to the configured timeout, then drops the event as {@link
     * #DROP} does. For batch jobs (such as {@code switchboard eye send}) that would rather slow
     * down than lose events. Do not block on a thread of the common fork-join pool: the JDK HTTP
     * client completes answers there, so the room being waited for could come late.
     */
    BLOCK
}
