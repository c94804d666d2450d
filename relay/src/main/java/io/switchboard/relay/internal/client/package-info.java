/**
 * The relay's backend client: HTTP/1.1 on Netty's codecs, with one keep-alive connection pool per
 * event loop.
 *
 * <p>Flow: {@code BackendClient.send} → the calling event loop's {@link ConnectionPool} (an idle
 * connection of that loop, a new one, or a wait for one) → {@link Connection} writes the request
 * head as one buffer (and streams a request body with back-pressure) → Netty's response decoder →
 * {@link BackendResponse}, a {@code ReadStream<Buffer>} whose headers are the decoder's own map →
 * the connection goes back to its loop's pool when the response ended and both sides keep it alive.
 *
 * <p>Threads: everything of a request runs on the Vert.x event loop that serves it; a pool is
 * touched only by its loop, so there are no locks and no hops between threads. The only state
 * shared between loops is the count of open connections (for the configured maximum).
 *
 * <p>This package knows nothing of the relay: failures are {@link BackendIoException}s that the
 * relay's {@code Backend} classifies.
 */
package io.switchboard.relay.internal.client;
