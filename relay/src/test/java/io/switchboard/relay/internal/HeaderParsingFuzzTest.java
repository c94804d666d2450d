package io.switchboard.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of the relay's parsers of outside input: request targets, Cache-Control
 * and CDN-Cache-Control, Age, HTTP dates, Range, Via, and the cache decisions built on them. The
 * normal build replays the corpus beside this class (src/test/resources, {@code …Inputs/<method>});
 * {@code benchmarks/fuzz.sh} fuzzes each method longer and adds what it finds to that corpus.
 *
 * <p>Each target asserts what must hold for any input: parsers either answer or refuse the way they
 * document (a 400 problem), never another exception, and what they answer is within its bounds.
 */
class HeaderParsingFuzzTest {

    /** RFC 9111 §1.2.2: the largest delta-seconds a cache needs to represent. */
    private static final long MAX_DELTA_SECONDS = Integer.MAX_VALUE + 1L;

    @FuzzTest(maxDuration = "30s")
    void requestTargetsAreRelayedOrRefusedWith400(FuzzedDataProvider data) {
        String target = data.consumeRemainingAsString();
        try {
            RelayTarget parsed = RelayTarget.parse(target);
            assertThat(parsed.pathAndQuery()).startsWith("/");
            assertThat(parsed.pathAndQuery()).doesNotContain("#");
        } catch (ProblemException refused) {
            assertThat(refused.problem().status()).isEqualTo(400);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void cacheControlDirectivesAreBounded(FuzzedDataProvider data) {
        List<String> lines = List.of(data.consumeString(200), data.consumeRemainingAsString());
        CacheControl cc = CacheControl.parse(lines);
        for (String name : cc.directives().keySet()) {
            assertThat(name).isLowerCase();
            cc.seconds(name).ifPresent(seconds -> assertThat(seconds).isBetween(0L, MAX_DELTA_SECONDS));
        }
        Optional<CacheControl> targeted = CachePolicy.targeted(lines);
        targeted.ifPresent(
                t -> t.directives().keySet().forEach(key -> assertThat(key).isNotEmpty()));
    }

    @FuzzTest(maxDuration = "30s")
    void storageAndFreshnessDecisionsNeverFail(FuzzedDataProvider data) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (String name : List.of("cache-control", "cdn-cache-control", "age", "expires", "date", "vary", "etag")) {
            if (data.consumeBoolean()) {
                headers.add(name, data.consumeString(80));
            }
        }
        int status = data.consumeInt(100, 599);
        MultiMap request = MultiMap.caseInsensitiveMultiMap();
        if (data.consumeBoolean()) {
            request.add("cache-control", data.consumeString(60));
        }
        long now = data.consumeLong(0, 4_000_000_000_000L);
        CachePolicy policy = new CachePolicy(Duration.ofSeconds(data.consumeInt(0, 3600)), Duration.ZERO);

        policy.mayStore(request, status, headers);
        CachedResponse entry = CachedResponse.of(status, headers, new byte[0], now, now, request);
        assertThat(policy.freshnessLifetime(entry).isNegative()).isFalse();
        assertThat(policy.currentAgeSeconds(entry, now + data.consumeInt(0, 1_000_000)))
                .isNotNegative();
        CachePolicy.ageValue(entry).ifPresent(age -> assertThat(age).isBetween(0L, MAX_DELTA_SECONDS));
        policy.evaluate(entry, request, now);
        assertThat(policy.keepFor(entry)).isPositive();
    }

    @FuzzTest(maxDuration = "30s")
    void httpDatesParseOrAreNull(FuzzedDataProvider data) {
        String value = data.consumeRemainingAsString();
        Long parsed = CachePolicy.httpDate(value);
        if (parsed != null) {
            // A date that parsed formats back to one that parses to the same instant (second precision).
            assertThat(CachePolicy.httpDate(CachePolicy.formatHttpDate(parsed))).isEqualTo(parsed / 1000 * 1000);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void rangesLieWithinTheBody(FuzzedDataProvider data) {
        long length = data.consumeLong(0, Long.MAX_VALUE / 2);
        ByteRange.parse(data.consumeRemainingAsString(), length).ifPresent(range -> {
            assertThat(range.first()).isBetween(0L, length - 1);
            assertThat(range.last()).isBetween(range.first(), length - 1);
            assertThat(range.size()).isPositive();
        });
    }

    @FuzzTest(maxDuration = "30s")
    void viaAndForwardingHeadersNeverFail(FuzzedDataProvider data) {
        Forwarding forwarding = new Forwarding("switchboard-test", TrustedProxies.parse(List.of("127.0.0.1/8")));
        List<String> via = List.of(data.consumeString(200), data.consumeString(200));
        forwarding.passedThrough(via);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        headers.add("x-forwarded-for", data.consumeString(100));
        headers.add("forwarded", data.consumeString(100));
        headers.add("via", via.get(0));
        forwarding.addForwardedFor(headers, data.consumeString(40), "http", data.consumeString(40));
        forwarding.appendVia(headers);
        assertThat(headers.getAll("via")).isNotEmpty();
        CachedResponse.varyValuesOf(headers, MultiMap.caseInsensitiveMultiMap().addAll(Map.of("accept", "x")));
    }
}
