package io.switchboard.eye.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Coverage-guided fuzzing of what eye reads from applications: event bodies (single and batch JSON)
 * and their timestamps. The normal build replays the corpus beside this class; {@code
 * benchmarks/fuzz.sh} fuzzes longer. Any body is either accepted as events whose fields are within
 * their bounds, or refused with a 400 problem that names a field; nothing else may escape.
 */
class EventParsingFuzzTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final EventParser parser = new EventParser(100, new EventIds(CLOCK), CLOCK);

    @FuzzTest(maxDuration = "30s")
    void eventBodiesAreAcceptedWithinBoundsOrRefusedWith400(byte[] body) {
        try {
            List<IncomingEvent> events = parser.parse(Buffer.buffer(body), "app");
            assertThat(events).isNotEmpty().hasSizeLessThanOrEqualTo(100);
            for (IncomingEvent event : events) {
                assertThat(event.id()).isNotBlank().hasSizeLessThanOrEqualTo(EventParser.MAX_TEXT);
                assertThat(event.sessionId()).hasSizeLessThanOrEqualTo(EventParser.MAX_TEXT);
                assertThat(event.category()).hasSizeLessThanOrEqualTo(EventParser.MAX_TEXT);
                assertThat(event.name()).hasSizeLessThanOrEqualTo(EventParser.MAX_TEXT);
                assertThat(event.application()).isEqualTo("app");
            }
        } catch (ProblemException refused) {
            assertThat(refused.problem().status()).isEqualTo(400);
            // The parameter is the broken field's path as the client wrote it, so it may be a key
            // of spaces ({" " ...); it is never missing.
            assertThat(refused.problem().parameter()).isNotEmpty();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void timestampsParseToMicrosThatRoundTrip(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Timestamps.parseMicros(text).ifPresent(micros -> {
            Instant instant = Timestamps.fromMicros(micros);
            assertThat(Timestamps.toMicros(instant)).isEqualTo(micros);
        });
    }
}
