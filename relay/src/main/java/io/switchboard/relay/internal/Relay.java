package io.switchboard.relay.internal;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * One relayed request, answered from the cache or the backend: what {@code RelayService} mounts as
 * the server's fallback. {@link RealRelay} is the implementation.
 *
 * <p>The contract sits in this package rather than beside {@code RelayService}: the API package
 * builds the relay, so a contract there would make this package read it back, a package cycle.
 */
public interface Relay extends Handler<RoutingContext> {}
