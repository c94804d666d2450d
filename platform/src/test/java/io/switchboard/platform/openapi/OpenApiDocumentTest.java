package io.switchboard.platform.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {

    private static OpenApiDocument.Fragment describing(String name, String fragment) {
        return new OpenApiDocument.Fragment(name, new JsonObject(fragment));
    }

    private static final String ITEMS = """
            {"tags": [{"name": "items"}],
             "paths": {"/items/{id}": {"get": {"operationId": "getItem", "responses": {
               "200": {"description": "The item", "content": {"application/json": {"schema": {"type": "object"}}}},
               "404": {"description": "No such item"}}}}}}
            """;

    @Test
    void everyResponseGetsTheRequestIdHeaderAndBodylessErrorsAreProblems() {
        JsonObject document = OpenApiDocument.build("1", List.of(describing("items", ITEMS)), List.of("/health/"));

        JsonObject responses = document.getJsonObject("paths")
                .getJsonObject("/items/{id}")
                .getJsonObject("get")
                .getJsonObject("responses");
        assertThat(responses.getJsonObject("200").getJsonObject("headers").containsKey("X-Request-Id"))
                .isTrue();
        assertThat(responses.getJsonObject("404").getJsonObject("content").containsKey("application/problem+json"))
                .isTrue();
        assertThat(responses.getJsonObject("503").getString("$ref")).isEqualTo("#/components/responses/Overloaded");
        assertThat(document.getJsonObject("components").getJsonObject("schemas").containsKey("Problem"))
                .isTrue();
    }

    @Test
    void pathsThatBypassTheGlobalLimitAreNotSaidToBeRefusedByIt() {
        JsonObject document = OpenApiDocument.build("1", List.of(), List.of("/health/"));

        JsonObject responses = document.getJsonObject("paths")
                .getJsonObject("/health/live")
                .getJsonObject("get")
                .getJsonObject("responses");
        assertThat(responses.containsKey("503")).isFalse();
        assertThat(responses.getJsonObject("400").getString("$ref")).isEqualTo("#/components/responses/BadRequest");
    }

    @Test
    void twoServicesDescribingOneOperationFailNamingTheSecond() {
        List<OpenApiDocument.Fragment> services = List.of(describing("items", ITEMS), describing("copycat", ITEMS));

        assertThatThrownBy(() -> OpenApiDocument.build("1", services, List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("OpenAPI: copycat describes get /items/{id}, which another service already describes");
    }

    @Test
    void aPrefixIsPutInFrontOfEveryPath() {
        JsonObject prefixed = OpenApiFragment.withPathPrefix(new JsonObject(ITEMS), "/_mock/items");

        assertThat(prefixed.getJsonObject("paths").fieldNames()).containsExactly("/_mock/items/items/{id}");
    }
}
