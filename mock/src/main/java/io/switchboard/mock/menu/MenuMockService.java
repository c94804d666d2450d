package io.switchboard.mock.menu;

import io.switchboard.platform.Service;
import io.switchboard.platform.ServiceContext;
import io.switchboard.platform.openapi.OpenApiFragment;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for the lunch menu API the relay was built for, in its shape: {@code GET
 * /api/restaurant} lists restaurants ({@code {"restaurants": [{"identifier", "name", ...}]}}, with
 * old- and new-style fields as in the data file) and {@code GET /api/restaurant/{identifier}}
 * answers {@code {"restaurant": {"title", "location", "url", "map_url", "menu": [{"dish"}]},
 * "url"}}; unknown identifiers are 404. Answers carry an {@code ETag} and honour {@code
 * If-None-Match} but no freshness information, like the real one.
 *
 * <p>Faults, in this order: a fixed-window rate limit per second (429 with {@code Retry-After: 1}),
 * every n-th request failing (500), then the configured latency before the answer.
 *
 * <p>Threads: everything on the event loop; latency is a timer, never a sleep.
 */
public final class MenuMockService implements Service {

    public static final String NAME = "menu-mock";

    /** Bundled restaurants, used unless a data file is configured. */
    private static final String BUNDLED = "/io/switchboard/mock/menu/menu.json";

    private final MenuMockConfig config;
    private final Map<String, JsonObject> details = new LinkedHashMap<>();
    private final Buffer list;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong windowSecond = new AtomicLong();
    private final AtomicInteger windowCount = new AtomicInteger();
    private Vertx vertx;

    public MenuMockService(MenuMockConfig config) {
        this.config = config;
        JsonObject data = load(config);
        JsonArray summaries = new JsonArray();
        JsonArray restaurants = data.getJsonArray("restaurants");
        if (restaurants == null) {
            throw new IllegalArgumentException("menu mock data must be {\"restaurants\": [...]}");
        }
        for (Object item : restaurants) {
            JsonObject restaurant = (JsonObject) item;
            String identifier = restaurant.getString("identifier");
            if (identifier == null || restaurant.getJsonObject("detail") == null) {
                throw new IllegalArgumentException(
                        "menu mock restaurant needs 'identifier' and 'detail', was " + restaurant.encode());
            }
            details.put(identifier, restaurant.getJsonObject("detail"));
            JsonObject summary = restaurant.copy();
            summary.remove("detail");
            summaries.add(summary);
        }
        this.list = new JsonObject().put("restaurants", summaries).toBuffer();
    }

    private static JsonObject load(MenuMockConfig config) {
        try {
            if (config.dataFile() != null) {
                return new JsonObject(Files.readString(config.dataFile(), StandardCharsets.UTF_8));
            }
            try (InputStream in = MenuMockService.class.getResourceAsStream(BUNDLED)) {
                return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("menu mock data file " + config.dataFile() + " cannot be read", e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void mount(Router router, ServiceContext context) {
        this.vertx = context.vertx();
        String p = config.prefix();
        router.get(p + "/api/restaurant").handler(this::faults).handler(this::handleList);
        router.get(p + "/api/restaurant/").handler(this::faults).handler(this::handleList);
        router.get(p + "/api/restaurant/:identifier").handler(this::faults).handler(this::handleRestaurant);
    }

    /** Everything under a non-empty prefix is the mock's: an unknown path there is 404, never relayed. */
    @Override
    public List<String> ownedPrefixes() {
        return config.prefix().isEmpty() ? List.of() : List.of(config.prefix());
    }

    private void faults(RoutingContext ctx) {
        if (config.rateLimit() > 0 && !admitted()) {
            ctx.response()
                    .setStatusCode(429)
                    .putHeader("Retry-After", "1")
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("detail", "Too many requests").encode());
            return;
        }
        if (config.failEvery() > 0 && requests.incrementAndGet() % config.failEvery() == 0) {
            ctx.response()
                    .setStatusCode(500)
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("detail", "Internal Server Error").encode());
            return;
        }
        if (config.latency().isZero()) {
            ctx.next();
        } else {
            vertx.setTimer(config.latency().toMillis(), id -> ctx.next());
        }
    }

    /** Fixed one-second windows: simple, and like the real backend's limiter, bursty at edges. */
    private boolean admitted() {
        long second = System.currentTimeMillis() / 1000;
        long current = windowSecond.get();
        if (current != second && windowSecond.compareAndSet(current, second)) {
            windowCount.set(0);
        }
        return windowCount.incrementAndGet() <= config.rateLimit();
    }

    private void handleList(RoutingContext ctx) {
        answer(ctx, list);
    }

    private void handleRestaurant(RoutingContext ctx) {
        JsonObject detail = details.get(ctx.pathParam("identifier"));
        if (detail == null) {
            ctx.response()
                    .setStatusCode(404)
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("detail", "Not Found").encode());
            return;
        }
        String self = ctx.request().absoluteURI();
        answer(ctx, new JsonObject().put("restaurant", detail).put("url", self).toBuffer());
    }

    private static void answer(RoutingContext ctx, Buffer body) {
        String etag = "\"" + Integer.toHexString(body.toString().hashCode()) + "\"";
        ctx.response().putHeader("ETag", etag);
        if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
            ctx.response().setStatusCode(304).end();
            return;
        }
        ctx.response().putHeader("Content-Type", "application/json").end(body);
    }

    @Override
    public JsonObject openApi() {
        return OpenApiFragment.withPathPrefix(
                OpenApiFragment.load(MenuMockService.class, "openapi.json"), config.prefix());
    }
}
