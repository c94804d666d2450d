package io.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.platform.testing.ExternalServices;
import io.switchboard.platform.testing.RunningPlatform;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Redis store, against the real Redis: several relay instances share one cache. */
class RedisCacheTest {

    @Test
    void aResponseCachedByOneRelayInstanceIsAHitOnAnother() {
        ExternalServices.requireRedis();
        try (TestBackend backend = new TestBackend()) {
            backend.answer(req -> req.response()
                    .putHeader("Cache-Control", "max-age=60")
                    .putHeader("Content-Type", "application/json")
                    .end("{\"shared\":true}"));
            RelayConfig config = RelayConfig.defaults(backend.base()).withCache(ExternalServices.REDIS_URL);
            String path = "/restaurant/" + UUID.randomUUID();
            try (RunningPlatform first = RunningPlatform.start(new RelayService(config));
                    RunningPlatform second = RunningPlatform.start(new RelayService(config))) {

                HttpResponse<String> miss = first.get(path);
                HttpResponse<String> hit = second.get(path);

                assertThat(miss.headers().firstValue("x-cache")).contains("MISS");
                assertThat(hit.headers().firstValue("x-cache")).contains("HIT");
                assertThat(hit.body()).isEqualTo("{\"shared\":true}");
                assertThat(hit.headers().firstValue("content-type")).contains("application/json");
                assertThat(backend.count()).isEqualTo(1);
            }
        }
    }

    @Test
    void anUnreachableRedisDegradesToMissesNotErrors() {
        try (TestBackend backend = new TestBackend()) {
            backend.answer(req ->
                    req.response().putHeader("Cache-Control", "max-age=60").end("still served"));
            RelayConfig config = RelayConfig.defaults(backend.base()).withCache("redis://127.0.0.1:1");
            try (RunningPlatform relay = RunningPlatform.start(new RelayService(config))) {

                HttpResponse<String> response = relay.get("/restaurant");

                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("still served");
            }
        }
    }
}
