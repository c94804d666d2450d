package io.switchboard.fanout;

import io.vertx.core.Future;

/**
 * What a fan-out calls: starts one attempt and can cancel it. {@link HttpUpstream}
 * calls an HTTP endpoint; tests and other services may plug in anything that returns a Future.
 *
 * <p>Threading: {@link Fanout} calls {@link #start} on its Vert.x context and expects the result to
 * complete there too (the Vert.x HTTP client does this); a result completed elsewhere is moved back
 * onto the context, so it is safe either way.
 *
 * @param <T> the value of a successful attempt
 */
public interface Upstream<T> {

    /** Starts an attempt. Failures should be {@link AttemptFailedException}s where the kind is known. */
    Call<T> start(Attempt attempt);

    /** What attempts call, e.g. the URL; copied into every {@link Attempt}. */
    default String target() {
        return "";
    }

    /** One attempt in flight. */
    interface Call<T> {

        /** Completes once with the value or the failure. */
        Future<T> result();

        /**
         * Abandons the attempt at once, releasing what it holds (for HTTP: resetting the request, which
         * closes an HTTP/1.1 connection). Called at most once, only while the result is pending.
         */
        void cancel();
    }
}
