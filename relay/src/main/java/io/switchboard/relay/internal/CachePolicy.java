package io.switchboard.relay.internal;

import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The RFC 9111 rules for a shared cache, as pure functions of headers and time: whether a response
 * may be stored (§3), how long it is fresh (§4.2.1), how old it is (§4.2.3), and when a stale one
 * may still be served (RFC 5861's {@code stale-while-revalidate} and {@code stale-if-error}).
 *
 * <p>The default TTL is a heuristic freshness (§4.2.2) and applies only to the status codes the RFC
 * marks heuristically cacheable; it is off (zero) unless configured.
 */
public final class CachePolicy {

    /** Status codes cacheable by default, hence eligible for the configured default TTL. */
    private static final Set<Integer> HEURISTICALLY_CACHEABLE =
            Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);

    /** Status codes whose semantics this cache understands well enough to store with explicit freshness. */
    private static final Set<Integer> UNDERSTOOD =
            Set.of(200, 203, 204, 300, 301, 302, 303, 307, 308, 400, 403, 404, 405, 410, 414, 500, 501, 502, 503, 504);

    /** The targeted cache-control field (RFC 9213) the relay obeys in place of Cache-Control. */
    static final String TARGETED_FIELD = "cdn-cache-control";

    private final Duration defaultTtl;
    private final Duration maxStale;

    public CachePolicy(Duration defaultTtl, Duration maxStale) {
        this.defaultTtl = defaultTtl;
        this.maxStale = maxStale;
    }

    /** §3: whether a GET response with these headers may be stored by a shared cache. */
    public boolean mayStore(MultiMap requestHeaders, int status, MultiMap responseHeaders) {
        CacheControl request = CacheControl.parse(requestHeaders.getAll("cache-control"));
        Optional<CacheControl> targeted = targeted(responseHeaders.getAll(TARGETED_FIELD));
        CacheControl response = targeted.orElseGet(() -> CacheControl.parse(responseHeaders.getAll("cache-control")));
        if (request.has("no-store") || response.has("no-store") || response.has("private")) {
            return false;
        }
        if (!UNDERSTOOD.contains(status)) {
            return false;
        }
        if (responseHeaders.getAll("vary").stream().anyMatch(v -> v.contains("*"))) {
            return false;
        }
        if (requestHeaders.contains("authorization")
                && !(response.has("public") || response.has("s-maxage") || response.has("must-revalidate"))) {
            return false;
        }
        boolean explicit = response.has("public")
                || response.seconds("s-maxage").isPresent()
                || response.seconds("max-age").isPresent()
                || (targeted.isEmpty() && responseHeaders.contains("expires"));
        boolean heuristic = HEURISTICALLY_CACHEABLE.contains(status) && !defaultTtl.isZero();
        // A no-cache response is stored so that it can be revalidated cheaply with its validators.
        boolean revalidatable = response.has("no-cache") && hasValidator(responseHeaders);
        return explicit || heuristic || revalidatable;
    }

    /** §4.2.1: how long the response is fresh, counted from its generation at the origin. */
    public Duration freshnessLifetime(CachedResponse entry) {
        CacheControl cc = cacheControl(entry);
        OptionalLong shared = cc.seconds("s-maxage");
        if (shared.isPresent()) {
            return Duration.ofSeconds(shared.getAsLong());
        }
        OptionalLong maxAge = cc.seconds("max-age");
        if (maxAge.isPresent()) {
            return Duration.ofSeconds(maxAge.getAsLong());
        }
        List<String> expires = entry.parsed().expires();
        if (!expires.isEmpty()) {
            if (expires.size() > 1) {
                return Duration.ZERO;
            }
            Long expiresAt = httpDate(expires.get(0));
            if (expiresAt == null) {
                // An invalid Expires (e.g. "0") means already expired.
                return Duration.ZERO;
            }
            Long date = entry.parsed().date();
            long base = date == null ? entry.responseTime() : date;
            return Duration.ofMillis(Math.max(0, expiresAt - base));
        }
        if (HEURISTICALLY_CACHEABLE.contains(entry.status())) {
            return defaultTtl;
        }
        return Duration.ZERO;
    }

    /** §4.2.3: the response's current age at {@code now} (epoch ms), in whole seconds. */
    public long currentAgeSeconds(CachedResponse entry, long now) {
        Long date = entry.parsed().date();
        // Date has whole-second resolution: compare whole seconds, or a fresh answer looks a second old.
        long apparentAge = date == null ? 0 : Math.max(0, (entry.responseTime() / 1000 - date / 1000) * 1000);
        long ageValue = entry.parsed().age().orElse(0) * 1000;
        long responseDelay = entry.responseTime() - entry.requestTime();
        long correctedAgeValue = ageValue + responseDelay;
        long correctedInitialAge = Math.max(apparentAge, correctedAgeValue);
        long residentTime = Math.max(0, now - entry.responseTime());
        return (correctedInitialAge + residentTime) / 1000;
    }

    /** What a lookup at {@code now} may do with {@code entry}, given the request's directives. */
    public Freshness evaluate(CachedResponse entry, MultiMap requestHeaders, long now) {
        long age = currentAgeSeconds(entry, now);
        long lifetime = freshnessLifetime(entry).toSeconds();
        CacheControl response = cacheControl(entry);
        boolean requestHasCacheControl = requestHeaders.contains("cache-control");
        CacheControl request =
                requestHasCacheControl ? CacheControl.parse(requestHeaders.getAll("cache-control")) : CacheControl.NONE;
        boolean requestNoCache = request.has("no-cache")
                || (!requestHasCacheControl
                        && requestHeaders.contains("pragma")
                        && requestHeaders.getAll("pragma").stream().anyMatch(p -> p.contains("no-cache")));
        OptionalLong requestMaxAge = request.seconds("max-age");
        boolean mustRevalidate = response.has("no-cache")
                || requestNoCache
                || (requestMaxAge.isPresent() && age > requestMaxAge.getAsLong());
        boolean fresh = age < lifetime && !mustRevalidate;
        long staleFor = Math.max(0, age - lifetime);
        boolean staleForbidden =
                response.has("must-revalidate") || response.has("proxy-revalidate") || response.has("s-maxage");
        // s-maxage implies proxy-revalidate for shared caches (§5.2.2.10).
        boolean whileRevalidate = !fresh
                && !mustRevalidate
                && !staleForbidden
                && staleFor < response.seconds("stale-while-revalidate").orElse(-1);
        long ifErrorWindow = Math.max(
                maxStale.toSeconds(), response.seconds("stale-if-error").orElse(0));
        if (response.has("stale-if-error")) {
            ifErrorWindow = response.seconds("stale-if-error").orElse(0);
        }
        boolean ifError = !staleForbidden && !response.has("no-cache") && staleFor <= ifErrorWindow;
        return new Freshness(age, fresh, whileRevalidate, ifError);
    }

    /** How long to keep {@code entry} in a store: fresh life plus the longest stale window. */
    public Duration keepFor(CachedResponse entry) {
        CacheControl cc = cacheControl(entry);
        long lifetime = freshnessLifetime(entry).toSeconds();
        long age = currentAgeSeconds(entry, entry.responseTime());
        long stale = Math.max(
                maxStale.toSeconds(),
                Math.max(
                        cc.seconds("stale-while-revalidate").orElse(0),
                        cc.seconds("stale-if-error").orElse(0)));
        long revalidation = hasValidator(entry.headerMap()) ? Math.max(stale, 3600) : stale;
        return Duration.ofSeconds(Math.max(1, lifetime - age + revalidation));
    }

    /**
     * The verdict of one lookup.
     *
     * @param ageSeconds current age, sent as {@code Age}
     * @param fresh may be served without contacting the backend
     * @param whileRevalidate stale, but may be served while a background revalidation runs
     * @param ifError stale, but may be served if the backend fails or rate-limits
     */
    public record Freshness(long ageSeconds, boolean fresh, boolean whileRevalidate, boolean ifError) {}

    static boolean hasValidator(MultiMap headers) {
        return headers.contains("etag") || headers.contains("last-modified");
    }

    /**
     * The response directives this cache obeys: those of {@code CDN-Cache-Control} when the response
     * has that field (RFC 9213 §2.1: a targeted field overrides {@code Cache-Control} and {@code
     * Expires} for the caches it targets, and the relay is such a cache in front of its backend),
     * else those of {@code Cache-Control}.
     */
    private static CacheControl cacheControl(CachedResponse entry) {
        return entry.parsed().cacheControl();
    }

    /**
     * The directives of a targeted field, empty when it is absent, empty or not a valid structured
     * dictionary: RFC 9213 §2.1 has the cache ignore such a field and fall back to Cache-Control.
     */
    static Optional<CacheControl> targeted(List<String> lines) {
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        return StructuredDictionary.parse(lines).map(CacheControl::new);
    }

    /**
     * The response's {@code Age} in seconds (RFC 9111 §5.1): the first member of its field lines,
     * the others discarded; empty when absent or invalid (not a non-negative integer), which the
     * cache then ignores. Parameters ({@code 7200;foo=bar}) are dropped before the check. Values
     * beyond 2^31 count as 2^31 (§1.2.2).
     */
    static OptionalLong ageValue(List<String> lines) {
        if (lines.isEmpty()) {
            return OptionalLong.empty();
        }
        String first = lines.get(0);
        int comma = first.indexOf(',');
        if (comma >= 0) {
            first = first.substring(0, comma);
        }
        int semicolon = first.indexOf(';');
        if (semicolon >= 0) {
            first = first.substring(0, semicolon);
        }
        first = first.trim();
        if (first.isEmpty()) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < first.length(); i++) {
            char c = first.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
        }
        if (first.length() > 10) {
            return OptionalLong.of(Integer.MAX_VALUE + 1L);
        }
        return OptionalLong.of(Math.min(Long.parseLong(first), Integer.MAX_VALUE + 1L));
    }

    /** Epoch ms of an HTTP-date (IMF-fixdate, also RFC 850 and asctime forms), or null. */
    static @Nullable Long httpDate(@Nullable String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.indexOf(',') == 3 && !IMF_FIXDATE.matcher(trimmed).matches()) {
            // The IMF-fixdate form, but not exactly: the JDK's RFC 1123 parser is lenient (a one-digit
            // hour passes), and an Expires the cache misreads must count as invalid, hence expired.
            return null;
        }
        for (DateTimeFormatter format : DATE_FORMATS) {
            try {
                return ZonedDateTime.parse(trimmed, format).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return null;
    }

    /**
     * The shape of an IMF-fixdate (RFC 9110 §5.6.7), letters in any case; a one-digit day is let
     * through because the JDK's own RFC 1123 formatter (used by many Java backends) writes one.
     */
    private static final java.util.regex.Pattern IMF_FIXDATE = java.util.regex.Pattern.compile(
            "[A-Za-z]{3}, [0-9]{1,2} [A-Za-z]{3} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [Gg][Mm][Tt]");

    /** Accepted HTTP-date forms, preferred first (RFC 9110 §5.6.7). */
    private static final List<DateTimeFormatter> DATE_FORMATS = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", java.util.Locale.US),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", java.util.Locale.US)
                    .withZone(java.time.ZoneOffset.UTC));

    /** Formats epoch ms as an IMF-fixdate. */
    static String formatHttpDate(long epochMillis) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(epochMillis), java.time.ZoneOffset.UTC));
    }
}
