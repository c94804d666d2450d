/**
 * The caching API relay (seed 004): a lowest-precedence catch-all that relays {@code /URI} to one
 * configured backend's {@code <base>/URI}, copies the answer faithfully and caches it per RFC 9111.
 *
 * <p>Public API: {@link io.switchboard.relay.RelayService} and {@link
 * io.switchboard.relay.RelayConfig}. The machinery ({@code internal}): target safety, the backend
 * client, cache rules, stores (Caffeine, Redis) and the request pipeline.
 *
 * <p>Request path: {@code client → platform → relay catch-all → cache store → backend}; all on
 * Vert.x event loops.
 */
package io.switchboard.relay;
