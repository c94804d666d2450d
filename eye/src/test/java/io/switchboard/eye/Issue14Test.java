package io.switchboard.eye;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Issue 14, defect 5: the API-key cache is bounded and expiring, and invented keys cannot flush it. */
class Issue14Test {

    private final AtomicLong now = new AtomicLong();
    private final KeyCache cache = new KeyCache(now::get);

    @Test
    void randomWrongKeysCannotEvictValidOnes() {
        ApiKeys.Caller caller = new ApiKeys.Caller("shop", ApiKeys.Scope.APPLICATION);
        for (int i = 0; i < 100; i++) {
            cache.put("valid-" + i, Optional.of(caller));
        }

        for (int i = 0; i < 3 * KeyCache.MAX_UNKNOWN; i++) {
            cache.put(UUID.randomUUID().toString(), Optional.empty());
        }

        for (int i = 0; i < 100; i++) {
            assertThat(cache.get("valid-" + i)).as("valid key %d", i).contains(caller);
        }
    }

    @Test
    void manyRandomKeysKeepTheCacheBounded() {
        for (int i = 0; i < 3 * KeyCache.MAX_UNKNOWN; i++) {
            cache.put(UUID.randomUUID().toString(), Optional.empty());
        }

        assertThat(cache.size()).isLessThanOrEqualTo(KeyCache.MAX_UNKNOWN);
    }

    @Test
    void anUnknownKeyIsRememberedAsUnknown() {
        cache.put("wrong", Optional.empty());

        assertThat(cache.get("wrong")).isEmpty();
        assertThat(cache.get("never-seen")).isNull();
    }

    @Test
    void entriesExpireAfterTheTtlSoARevocationApplies() {
        cache.put("key", Optional.of(new ApiKeys.Caller("shop", ApiKeys.Scope.APPLICATION)));

        now.addAndGet(KeyCache.TTL.toNanos() + 1);

        assertThat(cache.get("key")).isNull();
    }
}
