package io.switchboard.platform.dashboard;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The page and what it loads, read once from the classpath into memory: a few tens of kilobytes,
 * served without touching the disk and with no copy to a cache directory.
 */
final class DashboardAssets {

    /** File name → media type of everything under {@code /dashboard/assets/}. */
    private static final Map<String, String> ASSETS = Map.of(
            "dashboard.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "uPlot.iife.min.js", "text/javascript; charset=utf-8",
            "uPlot.min.css", "text/css; charset=utf-8",
            "uPlot-LICENSE.txt", "text/plain; charset=utf-8");

    /** The page itself. */
    static final String PAGE = "index.html";

    record Asset(String contentType, Buffer body) {}

    private final Map<String, Asset> byName;

    private DashboardAssets(Map<String, Asset> byName) {
        this.byName = byName;
    }

    static DashboardAssets load() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        assets.put(PAGE, new Asset("text/html; charset=utf-8", read(PAGE)));
        ASSETS.forEach((name, type) -> assets.put(name, new Asset(type, read(name))));
        return new DashboardAssets(Map.copyOf(assets));
    }

    Asset page() {
        return Objects.requireNonNull(byName.get(PAGE), "the page is loaded with the assets");
    }

    /** Asset names other than the page, for one route each. */
    Iterable<String> names() {
        return ASSETS.keySet();
    }

    /** One of {@link #names()}, all loaded at start. */
    Asset get(String name) {
        return Objects.requireNonNull(byName.get(name), () -> "no dashboard asset " + name);
    }

    private static Buffer read(String name) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard resource " + name + " is missing from the classpath");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard resource " + name, e);
        }
    }
}
