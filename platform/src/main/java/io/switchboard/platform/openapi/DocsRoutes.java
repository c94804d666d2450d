package io.switchboard.platform.openapi;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@code /docs}: Swagger UI showing {@code /openapi}, for people. Swagger UI comes from its WebJar
 * on the classpath and is served from memory (about 2 MB, read once at start), so the page needs no
 * CDN and no internet access, like the dashboard.
 */
public final class DocsRoutes {

    /** Where the page lives; its assets sit below it. */
    public static final String PATH = "/docs";

    /** The WebJar's own description, which names the version its resources sit under. */
    private static final String WEBJAR_POM = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";

    private record Asset(String contentType, Buffer body) {}

    private final Asset page;
    private final Map<String, Asset> assets;

    private DocsRoutes(Asset page, Map<String, Asset> assets) {
        this.page = page;
        this.assets = assets;
    }

    /** Reads the page and its assets; fails the start if the WebJar is missing from the jar. */
    public static DocsRoutes load() {
        String webjar = "/META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
        Map<String, Asset> assets = new LinkedHashMap<>();
        assets.put("swagger-ui.css", new Asset("text/css; charset=utf-8", read(webjar + "swagger-ui.css")));
        assets.put(
                "swagger-ui-bundle.js",
                new Asset("text/javascript; charset=utf-8", read(webjar + "swagger-ui-bundle.js")));
        assets.put(
                "swagger-ui-bundle.js.LICENSE.txt",
                new Asset("text/plain; charset=utf-8", read(webjar + "swagger-ui-bundle.js.LICENSE.txt")));
        assets.put("docs.js", new Asset("text/javascript; charset=utf-8", read("docs.js")));
        return new DocsRoutes(new Asset("text/html; charset=utf-8", read("docs.html")), Map.copyOf(assets));
    }

    public void mount(Router router) {
        router.get(PATH).handler(ctx -> send(ctx, page));
        assets.forEach((name, asset) -> router.get(PATH + "/assets/" + name).handler(ctx -> send(ctx, asset)));
    }

    private static void send(RoutingContext ctx, Asset asset) {
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType())
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .end(asset.body());
    }

    private static String webjarVersion() {
        Properties pom = new Properties();
        try (InputStream in = DocsRoutes.class.getResourceAsStream(WEBJAR_POM)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the Swagger UI WebJar is missing from the classpath (" + WEBJAR_POM + ")");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WEBJAR_POM, e);
        }
        return pom.getProperty("version");
    }

    private static Buffer read(String name) {
        try (InputStream in = DocsRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("docs resource " + name + " is missing from the classpath");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read docs resource " + name, e);
        }
    }
}
