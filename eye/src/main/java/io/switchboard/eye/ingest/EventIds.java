package io.switchboard.eye.ingest;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Server-generated event ids in the UUIDv7 layout (RFC 9562): 48 bits of Unix milliseconds, then
 * random bits, so ids sort roughly by creation time and never collide in practice. Thread-safe.
 */
public final class EventIds {

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public EventIds(Clock clock) {
        this.clock = clock;
    }

    public String next() {
        long millis = clock.millis();
        long randomHigh = random.nextLong();
        long randomLow = random.nextLong();
        long msb = (millis << 16) | 0x7000L | (randomHigh & 0x0FFFL);
        long lsb = (randomLow & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
