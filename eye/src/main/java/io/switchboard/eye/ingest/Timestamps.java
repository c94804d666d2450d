package io.switchboard.eye.ingest;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Optional;

/**
 * Event and query timestamps: the seed's {@code 2021-01-01 09:15:27.243860} (read as UTC), ISO 8601
 * with an offset ({@code 2021-01-01T09:15:27.243860+02:00}, {@code ...Z}) and ISO 8601 without one
 * (UTC). Stored as microseconds since the epoch, the seed's precision.
 */
public final class Timestamps {

    /** Date, a space or a 'T', time with optional fraction, optional offset. */
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendLiteral('T')
            .optionalEnd()
            .optionalStart()
            .appendLiteral(' ')
            .optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart()
            .appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HH:MM", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HHMM", "Z")
            .optionalEnd()
            .toFormatter()
            // SMART (the default) would read 2024-02-30 as 2024-02-29; a date that does not exist is refused.
            .withResolverStyle(ResolverStyle.STRICT);

    private Timestamps() {}

    /** Microseconds since the epoch, or empty when {@code text} is no supported timestamp. */
    public static Optional<Long> parseMicros(String text) {
        if (text.length() < 16 || text.length() > 40 || (text.charAt(10) != ' ' && text.charAt(10) != 'T')) {
            return Optional.empty();
        }
        long fast = parseCommonMicros(text);
        return fast != NOT_COMMON ? Optional.of(fast) : parseWithFormatter(text);
    }

    /** What {@link #parseCommonMicros} answers for text it leaves to the formatter. */
    private static final long NOT_COMMON = Long.MIN_VALUE;

    /**
     * The common shapes, {@code 2021-01-01 09:15:27.243860} and {@code 2021-01-01T09:15:27.243Z},
     * read by hand: the formatter's parse allocates a few kilobytes per call, which made it the
     * largest allocation of ingestion. Answers only for text that is certainly a valid timestamp of
     * those shapes (a four-digit year, seconds, 1 to 9 fraction digits, no offset or {@code Z}, a
     * real date); anything else, broken or unusual, is {@link #NOT_COMMON} and goes to the formatter,
     * which stays the definition of what is accepted (the tests compare the two).
     */
    static long parseCommonMicros(String text) {
        int n = text.length();
        if (n < 19
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return NOT_COMMON;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return NOT_COMMON;
        }
        int end = n;
        if (text.charAt(n - 1) == 'Z') {
            end = n - 1;
        }
        long micros = 0;
        if (end > 19) {
            int fractionDigits = end - 20;
            if (text.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
                return NOT_COMMON;
            }
            int fraction = digits(text, 20, fractionDigits);
            if (fraction < 0) {
                return NOT_COMMON;
            }
            // Scale to nanoseconds, then truncate to microseconds as toMicros does.
            long nanos = fraction;
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
            micros = nanos / 1_000;
        }
        if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return NOT_COMMON;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        long seconds = epochDay * 86_400 + hour * 3_600L + minute * 60L + second;
        return seconds * 1_000_000L + micros;
    }

    /** The value of {@code count} decimal digits at {@code from}, or -1 if one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The definition of what is accepted: every supported shape, strictly. */
    static Optional<Long> parseWithFormatter(String text) {
        try {
            var parsed = FORMAT.parse(text);
            LocalDateTime local = LocalDateTime.from(parsed);
            ZoneOffset offset =
                    parsed.isSupported(ChronoField.OFFSET_SECONDS) ? ZoneOffset.from(parsed) : ZoneOffset.UTC;
            return Optional.of(toMicros(OffsetDateTime.of(local, offset).toInstant()));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    public static long toMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    public static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
