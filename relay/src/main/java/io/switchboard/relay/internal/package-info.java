/** The relay's machinery; other modules use only {@link io.switchboard.relay}. */
package io.switchboard.relay.internal;
