package io.switchboard.mock.menu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.platform.testing.RunningPlatform;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MenuMockServiceTest {

    @Test
    void listsRestaurantsWithIdentifierAndNameInOldAndNewFieldStyles() {
        try (RunningPlatform mock = RunningPlatform.start(new MenuMockService(MenuMockConfig.defaults("")))) {
            HttpResponse<String> response = mock.get("/api/restaurant");

            assertThat(response.statusCode()).isEqualTo(200);
            var restaurants = new JsonObject(response.body()).getJsonArray("restaurants");
            assertThat(restaurants.size()).isEqualTo(5);
            JsonObject old = restaurants.getJsonObject(0);
            JsonObject newer = restaurants.getJsonObject(1);
            assertThat(old.getString("identifier")).isEqualTo("bistro-j");
            assertThat(old.getString("menu_url")).isNotNull();
            assertThat(newer.getString("menuUrl")).isNotNull();
            assertThat(newer.containsKey("detail")).isFalse();
        }
    }

    @Test
    void answersOneRestaurantWithItsMenuAndUnknownIdentifiersWith404() {
        try (RunningPlatform mock =
                RunningPlatform.start(new MenuMockService(MenuMockConfig.defaults("/_mock/menu")))) {
            HttpResponse<String> found = mock.get("/_mock/menu/api/restaurant/elma");
            HttpResponse<String> missing = mock.get("/_mock/menu/api/restaurant/nowhere");

            JsonObject body = new JsonObject(found.body());
            assertThat(body.getJsonObject("restaurant").getString("title")).isEqualTo("Elma Brasserie");
            assertThat(body.getJsonObject("restaurant")
                            .getJsonArray("menu")
                            .getJsonObject(0)
                            .getString("dish"))
                    .isEqualTo("Pasta with roasted tomatoes");
            assertThat(body.getString("url")).endsWith("/_mock/menu/api/restaurant/elma");
            assertThat(missing.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void answers304ToAMatchingIfNoneMatch() {
        try (RunningPlatform mock = RunningPlatform.start(new MenuMockService(MenuMockConfig.defaults("")))) {
            String etag =
                    mock.get("/api/restaurant").headers().firstValue("etag").orElseThrow();

            assertThat(mock.get("/api/restaurant", "If-None-Match", etag).statusCode())
                    .isEqualTo(304);
        }
    }

    @Test
    void rateLimitAnswers429WithRetryAfter() {
        MenuMockConfig config = new MenuMockConfig("", null, Duration.ZERO, 1, 0);
        try (RunningPlatform mock = RunningPlatform.start(new MenuMockService(config))) {
            HttpResponse<String> limited = null;
            for (int i = 0; i < 5 && limited == null; i++) {
                HttpResponse<String> response = mock.get("/api/restaurant");
                if (response.statusCode() == 429) {
                    limited = response;
                }
            }
            assertThat(limited).isNotNull();
            assertThat(limited.headers().firstValue("retry-after")).contains("1");
        }
    }

    @Test
    void everyNthRequestFailsWhenConfigured() {
        MenuMockConfig config = new MenuMockConfig("", null, Duration.ZERO, 0, 2);
        try (RunningPlatform mock = RunningPlatform.start(new MenuMockService(config))) {
            assertThat(mock.get("/api/restaurant").statusCode()).isEqualTo(200);
            assertThat(mock.get("/api/restaurant").statusCode()).isEqualTo(500);
            assertThat(mock.get("/api/restaurant").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void latencyDelaysEveryAnswer() {
        MenuMockConfig config = new MenuMockConfig("", null, Duration.ofMillis(300), 0, 0);
        try (RunningPlatform mock = RunningPlatform.start(new MenuMockService(config))) {
            long started = System.nanoTime();
            mock.get("/api/restaurant");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void readsRestaurantsFromAConfiguredDataFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("menu.json");
        Files.writeString(file, """
                {"restaurants": [{"identifier": "x", "name": "X",
                  "detail": {"title": "X", "location": "here", "menu": [{"dish": "Soup"}]}}]}
                """);
        try (RunningPlatform mock =
                RunningPlatform.start(new MenuMockService(new MenuMockConfig("", file, Duration.ZERO, 0, 0)))) {
            assertThat(mock.get("/api/restaurant/x").body()).contains("Soup");
        }
    }

    @Test
    void rejectsADataFileWithoutRestaurants(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"menus\": []}");

        assertThatThrownBy(() -> new MenuMockService(new MenuMockConfig("", file, Duration.ZERO, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("restaurants");
    }
}
