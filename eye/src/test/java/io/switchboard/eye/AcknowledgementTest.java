package io.switchboard.eye;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.eye.ingest.GroupCommitWriter.Ack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 202 body, written as text without a JSON tree, is the JSON the API documents. */
class AcknowledgementTest {

    @Test
    void idsDuplicatesAndCountsAreAllThere() {
        JsonObject body = new JsonObject(EyeService.acknowledgement(
                List.of(new Ack("a", false), new Ack("b", true), new Ack("c", false), new Ack("d", true))));

        assertThat(body.getJsonArray("ids")).isEqualTo(new JsonArray(List.of("a", "b", "c", "d")));
        assertThat(body.getInteger("accepted")).isEqualTo(4);
        assertThat(body.getInteger("duplicates")).isEqualTo(2);
        assertThat(body.getJsonArray("duplicate_ids")).isEqualTo(new JsonArray(List.of("b", "d")));
    }

    @Test
    void clientIdsWithQuotesBackslashesControlAndNonAsciiCharactersComeBackUnchanged() {
        String id = "q\"b\\\\n\n\t\u0001é\uD83D\uDE00</script>";

        JsonObject body = new JsonObject(EyeService.acknowledgement(List.of(new Ack(id, true))));

        assertThat(body.getJsonArray("ids").getString(0)).isEqualTo(id);
        assertThat(body.getJsonArray("duplicate_ids").getString(0)).isEqualTo(id);
    }

    @Test
    void noDuplicatesGiveAnEmptyList() {
        JsonObject body = new JsonObject(EyeService.acknowledgement(List.of(new Ack("only", false))));

        assertThat(body.getInteger("duplicates")).isZero();
        assertThat(body.getJsonArray("duplicate_ids")).isEmpty();
        assertThat(body.fieldNames()).containsExactlyInAnyOrder("ids", "accepted", "duplicates", "duplicate_ids");
    }
}
