package io.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.platform.ServerConfig;
import io.switchboard.platform.testing.MutableClock;
import io.switchboard.platform.testing.RunningPlatform;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, conformance: what the current HTTP caching suite found missing in the relay's cache —
 * Age parsing (RFC 9111 §5.1), CDN-Cache-Control (RFC 9213), strict Expires dates and range requests
 * served from a stored complete response (RFC 9111 §3.4).
 */
class Issue14CacheConformanceTest {

    private final TestBackend backend = new TestBackend();
    private final MutableClock clock = new MutableClock();
    private RunningPlatform relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        backend.close();
    }

    private void start() {
        relay = RunningPlatform.start(
                ServerConfig.forTests(), clock, new RelayService(RelayConfig.defaults(backend.base())));
    }

    private void answerWith(List<String> headers, String body) {
        backend.answer(req -> {
            var response = req.response();
            for (int i = 0; i < headers.size(); i += 2) {
                response.headers().add(headers.get(i), headers.get(i + 1));
            }
            response.end(body);
        });
    }

    private Optional<String> secondXCache(String path) {
        relay.get(path);
        clock.advance(Duration.ofSeconds(2));
        return relay.get(path).headers().firstValue("x-cache");
    }

    @Test
    void onlyTheFirstMemberOfAnAgeListCounts() {
        answerWith(List.of("Cache-Control", "max-age=3600", "Age", "0, 7200"), "x");
        start();

        assertThat(secondXCache("/prefix")).contains("HIT");
    }

    @Test
    void aLaterAgeLineDoesNotMakeAFreshResponseStale() {
        answerWith(List.of("Cache-Control", "max-age=3600", "Age", "0", "Age", "7200"), "x");
        start();

        assertThat(secondXCache("/twoline")).contains("HIT");
    }

    @Test
    void anOldFirstAgeMakesTheResponseStale() {
        answerWith(List.of("Cache-Control", "max-age=3600", "Age", "7200, 0"), "x");
        start();

        assertThat(secondXCache("/old")).isNotEqualTo(Optional.of("HIT"));
        assertThat(backend.count()).isEqualTo(2);
    }

    @Test
    void negativeAndFractionalAgesAreIgnored() {
        answerWith(List.of("Cache-Control", "max-age=3600", "Age", "-7200"), "x");
        start();

        assertThat(secondXCache("/negative")).contains("HIT");
    }

    @Test
    void cdnCacheControlOverridesCacheControl() {
        answerWith(List.of("Cache-Control", "no-store", "CDN-Cache-Control", "max-age=10000"), "x");
        start();

        assertThat(secondXCache("/cdn-fresh")).contains("HIT");
    }

    @Test
    void cdnCacheControlPrivateOrNoStoreKeepsAnOtherwiseFreshResponseOut() {
        answerWith(List.of("Cache-Control", "max-age=10000", "CDN-Cache-Control", "no-store"), "x");
        start();

        assertThat(secondXCache("/cdn-no-store")).isNotEqualTo(Optional.of("HIT"));
        assertThat(backend.count()).isEqualTo(2);
    }

    @Test
    void cdnMaxAgeWinsOverALongerCacheControlMaxAge() {
        answerWith(List.of("Cache-Control", "max-age=3600", "CDN-Cache-Control", "max-age=1"), "x");
        start();

        assertThat(secondXCache("/cdn-short")).isNotEqualTo(Optional.of("HIT"));
    }

    @Test
    void anInvalidCdnCacheControlIsIgnoredInFavourOfCacheControl() {
        answerWith(List.of("CDN-Cache-Control", "max-age=10000, &&&&&", "Cache-Control", "no-store"), "x");
        start();

        assertThat(secondXCache("/cdn-invalid")).isNotEqualTo(Optional.of("HIT"));
        assertThat(backend.count()).isEqualTo(2);
    }

    @Test
    void aCdnMaxAgeOfTheWrongTypeGivesNoFreshness() {
        answerWith(List.of("CDN-Cache-Control", "max-age=\"10000\"", "Cache-Control", "no-store"), "x");
        start();

        assertThat(secondXCache("/cdn-string")).isNotEqualTo(Optional.of("HIT"));
        assertThat(backend.count()).isEqualTo(2);
    }

    @Test
    void anExpiresWithAOneDigitHourIsInvalidHenceExpired() {
        answerWith(List.of("Expires", "Thu, 18 Aug 2050 2:01:18 GMT"), "x");
        start();

        assertThat(secondXCache("/expires")).isNotEqualTo(Optional.of("HIT"));
        assertThat(backend.count()).isEqualTo(2);
    }

    @Test
    void aRangeRequestIsAnsweredFromTheStoredCompleteResponse() {
        answerWith(List.of("Cache-Control", "max-age=3600", "A", "1"), "01234567890");
        start();
        relay.get("/range");

        HttpResponse<String> partial = relay.get("/range", "Range", "bytes=0-1");

        assertThat(partial.statusCode()).isEqualTo(206);
        assertThat(partial.body()).isEqualTo("01");
        assertThat(partial.headers().firstValue("content-range")).contains("bytes 0-1/11");
        assertThat(partial.headers().firstValue("a")).contains("1");
        assertThat(backend.count()).isEqualTo(1);
    }
}
