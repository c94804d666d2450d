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
