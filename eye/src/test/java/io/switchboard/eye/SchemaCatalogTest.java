package io.switchboard.eye;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.eye.ingest.EventJson;
import io.switchboard.eye.process.SchemaCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class SchemaCatalogTest {

    @TempDir
    Path dir;

    @Test
    void bundledSchemasCoverTheSeedsThreeEvents() {
        SchemaCatalog catalog = SchemaCatalog.load(null);

        assertThat(catalog.size()).isEqualTo(3);
        assertThat(catalog.violation("page interaction", "pageview", json("{\"host\":\"h\",\"path\":\"/\"}")))
                .isEmpty();
        assertThat(catalog.violation("page interaction", "cta click", json("{\"host\":\"h\",\"path\":\"/\"}")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("element"));
        assertThat(
                        catalog.violation(
                                "form interaction",
                                "submit",
                                json(
                                        "{\"host\":\"h\",\"path\":\"/\",\"form\":{\"first_name\":\"John\",\"last_name\":\"Doe\"}}")))
                .isEmpty();
    }

    @Test
    void schemaDirectoryAddsSchemasAndReplacesBundledOnes() throws Exception {
        Files.writeString(dir.resolve("play.json"), """
                {"x-eye-category": "video", "x-eye-name": "play", "type": "object",
                 "required": ["seconds"], "properties": {"seconds": {"type": "integer", "minimum": 0}}}
                """);
        Files.writeString(dir.resolve("pageview.json"), """
                {"x-eye-category": "page interaction", "x-eye-name": "pageview", "type": "object",
                 "required": ["host", "path", "referrer"]}
                """);

        SchemaCatalog catalog = SchemaCatalog.load(dir);

        assertThat(catalog.violation("video", "play", json("{\"seconds\": 3}"))).isEmpty();
        assertThat(catalog.violation("video", "play", json("{\"seconds\": -1}")))
                .isPresent();
        assertThat(catalog.violation("page interaction", "pageview", json("{\"host\":\"h\",\"path\":\"/\"}")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("referrer"));
    }

    @Test
    void unknownCategoryAndNameHaveNoPayloadRules() {
        assertThat(SchemaCatalog.load(null).violation("video", "pause", json("{\"anything\": [1, 2]}")))
                .isEmpty();
    }

    @Test
    void schemaWithoutItsNamingKeywordsIsRefusedNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("nameless.json"), "{\"type\": \"object\"}");

        assertThatThrownBy(() -> SchemaCatalog.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nameless.json")
                .hasMessageContaining("x-eye-name");
    }

    private static JsonNode json(String text) {
        return EventJson.read(text);
    }
}
