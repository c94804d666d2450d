package io.switchboard.eye;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Remembers recent API key checks (known and unknown keys) so that most requests authenticate
 * without a database round trip. Keys are revoked by another process ({@code eye keys revoke}),
 * so entries expire: a revocation takes effect within {@link #TTL}. Thread-safe.
 *
 * <p>Known and unknown keys live in two separate bounded caches. Anyone can send unknown keys, and
 * as many as they like; kept apart, a flood of invented keys evicts only other invented keys and
 * never an application's valid key (which would put every request of that application back on the
 * database). Both caches are Caffeine's: bounded by size, entries expire after {@link #TTL}.
 *
 * <p>Known keys are remembered as presented, so that a request with a valid key costs a map
 * lookup and no SHA-256 (about 4% of an event loop's samples at 5,000 single events/s). Unknown
 * keys are remembered by their hash: anyone can send them, as long as a header allows, and a
 * hash is 64 characters whatever was sent.
 */
final class KeyCache {

    /** How long a check is trusted; also the longest delay before a revocation applies. */
    static final Duration TTL = Duration.ofSeconds(5);

    /** Known keys remembered at most: far more than the applications of one deployment. */
    static final int MAX_KNOWN = 10_000;

    /** Unknown keys remembered at most; beyond it the least valuable are evicted, not everything. */
    static final int MAX_UNKNOWN = 10_000;

    /** By the key as presented (only valid keys: admins create them, so their size is theirs). */
    private final Cache<String, ApiKeys.Caller> known;
    /** By the key's SHA-256. */
    private final Cache<String, Boolean> unknown;

    KeyCache(LongSupplier nanoTime) {
        this.known = build(MAX_KNOWN, nanoTime);
        this.unknown = build(MAX_UNKNOWN, nanoTime);
    }

    private static <V> Cache<String, V> build(int maximumSize, LongSupplier nanoTime) {
        return Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfterWrite(TTL)
                .ticker(nanoTime::getAsLong)
                // Maintenance (eviction) on the calling thread: no background task to leak or to race tests.
                .executor(Runnable::run)
                .build();
    }

    /** The cached answer for {@code key}: null when not cached or expired, empty when known to be unknown. */
    @SuppressWarnings("NullableOptional") // three answers: cached caller, cached "unknown", not cached
    @Nullable
    Optional<ApiKeys.Caller> get(String key) {
        ApiKeys.Caller caller = known.getIfPresent(key);
        if (caller != null) {
            return Optional.of(caller);
        }
        return unknown.getIfPresent(ApiKeys.hash(key)) != null ? Optional.empty() : null;
    }

    void put(String key, Optional<ApiKeys.Caller> application) {
        String hash = ApiKeys.hash(key);
        if (application.isPresent()) {
            unknown.invalidate(hash);
            known.put(key, application.get());
        } else {
            known.invalidate(key);
            unknown.put(hash, Boolean.TRUE);
        }
    }

    /** Entries held now (after pending evictions), for tests of the bound. */
    long size() {
        known.cleanUp();
        unknown.cleanUp();
        return known.estimatedSize() + unknown.estimatedSize();
    }
}
