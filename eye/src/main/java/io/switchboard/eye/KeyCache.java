package io.switchboard.eye;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Remembers recent API key checks (known and unknown keys) so that most requests authenticate
 * without a database round trip. Keys are revoked by another process ({@code eye keys revoke}),
 * so entries expire: a revocation takes effect within {@link #TTL}. Thread-safe.
 */
final class KeyCache {

    /** How long a check is trusted; also the longest delay before a revocation applies. */
    static final Duration TTL = Duration.ofSeconds(5);

    /** Entries beyond which the cache is cleared, so random keys cannot grow it without bound. */
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Optional<ApiKeys.Caller> application, long expiresNanos) {}

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    KeyCache(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The cached answer for {@code keyHash}: null when unknown or expired. */
    Optional<ApiKeys.Caller> get(String keyHash) {
        Entry entry = entries.get(keyHash);
        if (entry == null || nanoTime.getAsLong() - entry.expiresNanos() > 0) {
            return null;
        }
        return entry.application();
    }

    void put(String keyHash, Optional<ApiKeys.Caller> application) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(keyHash, new Entry(application, nanoTime.getAsLong() + TTL.toNanos()));
    }
}
