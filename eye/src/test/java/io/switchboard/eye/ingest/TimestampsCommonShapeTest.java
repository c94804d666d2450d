package io.switchboard.eye.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written reader of the common shapes answers exactly what the formatter answers. */
class TimestampsCommonShapeTest {

    @Test
    void commonShapesAreReadByHandLikeTheFormatterReadsThem() {
        for (String text : List.of(
                "2021-01-01 09:15:27.243860",
                "2021-01-01T09:15:27.243860Z",
                "2021-01-01T09:15:27Z",
                "2021-01-01 09:15:27",
                "2024-02-29 23:59:59.999999999",
                "1969-12-31 23:59:59.5",
                "0001-01-01 00:00:00.000001")) {
            assertThat(Timestamps.parseCommonMicros(text))
                    .as(text)
                    .isNotEqualTo(Long.MIN_VALUE)
                    .isEqualTo(Timestamps.parseWithFormatter(text).orElseThrow());
        }
    }

    @Test
    void brokenOrUnusualTextIsLeftToTheFormatter() {
        for (String text : List.of(
                "2023-02-29 10:00:00",
                "2021-13-01 09:15:27",
                "2021-01-01 24:00:00",
                "2021-01-01 09:15:60",
                "2021-01-01 09:15:27.",
                "2021-01-01 09:15:27.1234567890",
                "2021-01-01T10:15:27.5+01:00",
                "2021-01-01 09:15",
                "2021-01-01 09:15:27.24386x",
                "+2021-01-01 09:15:27")) {
            assertThat(Timestamps.parseCommonMicros(text)).as(text).isEqualTo(Long.MIN_VALUE);
        }
    }

    @Test
    void mutatedTimestampsGetTheSameAnswerFromBothReaders() {
        Random random = new Random(12);
        String alphabet = "0123456789-:. TZ+x";
        List<String> seeds = List.of("2021-01-01 09:15:27.243860", "2024-02-29T23:59:59Z", "2021-12-31 00:00:00.5");
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            for (int m = random.nextInt(3); m >= 0; m--) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> text.deleteCharAt(at);
                    default -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String s = text.toString();
            Optional<Long> expected = s.length() < 16 || s.length() > 40 || (s.charAt(10) != ' ' && s.charAt(10) != 'T')
                    ? Optional.empty()
                    : Timestamps.parseWithFormatter(s);
            if (!Timestamps.parseMicros(s).equals(expected)) {
                mismatches.add(s);
            }
        }
        assertThat(mismatches).isEmpty();
    }
}
