/**
 * The platform every Switchboard service stands on: {@link io.switchboard.platform.Platform} (the
 * server and its request pipeline), {@link io.switchboard.platform.Service} (what a service
 * implements) and {@link io.switchboard.platform.ServiceContext} (what it is given). Sub-packages
 * hold one concern each: {@code problem} (RFC 9457 errors), {@code observability} (ids, logs,
 * metrics, tracing), {@code limit}, {@code health}, {@code openapi} (the merged contract and
 * {@code /docs}), {@code upstream}.
 */
package io.switchboard.platform;
