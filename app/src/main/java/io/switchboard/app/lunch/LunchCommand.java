package io.switchboard.app.lunch;

import io.switchboard.app.cli.DurationConverter;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard lunch [restaurant]}: what is for lunch where, read from the relay (or directly
 * from a menu backend).
 *
 * <p>No argument lists restaurants; an identifier or a unique part of a name prints that
 * restaurant's dishes under its name, location and links, so it is clear where to go to eat what;
 * {@code --all} prints every restaurant's dishes. Restaurants are read in both the old field style
 * ({@code campus}, {@code url}, {@code menu_url}, {@code osm}) and the new one ({@code region},
 * {@code homepage}, {@code menuUrl}, {@code coordinate}). Errors print one line and exit 1.
 */
@Command(
        name = "lunch",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Lists restaurants, or the dishes of one (identifier or unique part of its name).",
            "Reads <url>/restaurant and <url>/restaurant/<identifier> through the relay."
        })
public final class LunchCommand implements Callable<Integer> {

    /** Exit status for failures after parsing: unreachable server, unknown or ambiguous restaurant. */
    static final int FAILED = 1;

    @Spec
    CommandSpec spec;

    @Parameters(
            arity = "0..1",
            paramLabel = "RESTAURANT",
            description = "Identifier or a unique part of the name; omit to list restaurants.")
    String restaurant;

    @Option(names = "--all", description = "Print every restaurant's dishes (env LUNCH_ALL).")
    boolean all;

    @Option(
            names = "--url",
            defaultValue = "http://127.0.0.1:8080",
            description = "Relay (or menu API base) URL (env LUNCH_URL; default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--json", description = "Print JSON for scripts instead of text (env LUNCH_JSON).")
    boolean json;

    @Option(
            names = "--timeout",
            converter = DurationConverter.class,
            defaultValue = "15s",
            description = "Limit per request (env LUNCH_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration timeout;

    /** A restaurant from the list, whatever field style it came in. */
    record Restaurant(
            String identifier,
            @Nullable String name,
            @Nullable String location) {
        static Restaurant from(JsonObject json) {
            return new Restaurant(
                    Objects.requireNonNull(
                            first(json, "identifier", "id"), "list() keeps only entries with an identifier"),
                    first(json, "name", "title"),
                    first(json, "campus", "region"));
        }
    }

    /** One restaurant's menu. */
    record Menu(
            Restaurant restaurant,
            @Nullable String url,
            @Nullable String mapUrl,
            List<String> dishes) {
        JsonObject toJson() {
            return new JsonObject()
                    .put("identifier", restaurant.identifier())
                    .put("name", restaurant.name())
                    .put("location", restaurant.location())
                    .put("url", url)
                    .put("map_url", mapUrl)
                    .put("dishes", new JsonArray(dishes));
        }
    }

    /** A failure to report in one line. */
    static final class LunchException extends Exception {
        LunchException(String message) {
            super(message, null, false, false);
        }
    }

    /** Built by {@link #call} before any request. */
    private @Nullable HttpClient client;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        try {
            if (all && restaurant != null) {
                throw new LunchException("give either a restaurant or --all, not both");
            }
            List<Restaurant> restaurants = list();
            if (all) {
                List<Menu> menus = new ArrayList<>();
                for (Restaurant r : restaurants) {
                    menus.add(menu(r));
                }
                printMenus(out, menus);
            } else if (restaurant == null) {
                printList(out, restaurants);
            } else {
                printMenus(out, List.of(menu(choose(restaurants, restaurant))));
            }
            out.flush();
            return 0;
        } catch (LunchException e) {
            spec.commandLine().getErr().println("lunch: " + e.getMessage());
            return FAILED;
        }
    }

    private List<Restaurant> list() throws LunchException {
        JsonObject body = getJson("/restaurant");
        JsonArray array = body.getJsonArray("restaurants");
        if (array == null) {
            throw new LunchException(base() + "/restaurant did not answer {\"restaurants\": [...]}");
        }
        List<Restaurant> restaurants = new ArrayList<>();
        for (Object item : array) {
            if (item instanceof JsonObject json && first(json, "identifier", "id") != null) {
                restaurants.add(Restaurant.from(json));
            }
        }
        return restaurants;
    }

    private Menu menu(Restaurant summary) throws LunchException {
        JsonObject body = getJson("/restaurant/" + URLEncoder.encode(summary.identifier(), StandardCharsets.UTF_8));
        JsonObject detail = body.getJsonObject("restaurant", new JsonObject());
        List<String> dishes = new ArrayList<>();
        for (Object item : detail.getJsonArray("menu", new JsonArray())) {
            if (item instanceof JsonObject dish && dish.getString("dish") != null) {
                dishes.add(dish.getString("dish").strip());
            } else if (item instanceof String dish) {
                dishes.add(dish.strip());
            }
        }
        String name = summary.name() != null ? summary.name() : detail.getString("title");
        String location = detail.getString("location") != null ? detail.getString("location") : summary.location();
        return new Menu(
                new Restaurant(summary.identifier(), name, location),
                first(detail, "url", "homepage"),
                first(detail, "map_url", "osm"),
                dishes);
    }

    /** An exact identifier, else the one restaurant whose name or identifier contains {@code query}. */
    static Restaurant choose(List<Restaurant> restaurants, String query) throws LunchException {
        for (Restaurant r : restaurants) {
            if (r.identifier().equalsIgnoreCase(query)) {
                return r;
            }
        }
        String needle = query.toLowerCase(Locale.ROOT);
        List<Restaurant> matches = new ArrayList<>();
        for (Restaurant r : restaurants) {
            if (r.identifier().toLowerCase(Locale.ROOT).contains(needle)
                    || (r.name() != null && r.name().toLowerCase(Locale.ROOT).contains(needle))) {
                matches.add(r);
            }
        }
        if (matches.isEmpty()) {
            throw new LunchException("no restaurant matches '" + query + "'; run 'switchboard lunch' to list them");
        }
        if (matches.size() > 1) {
            List<String> candidates = matches.stream()
                    .map(r -> r.identifier() + " (" + r.name() + ")")
                    .toList();
            throw new LunchException("'" + query + "' is ambiguous: " + String.join(", ", candidates));
        }
        return matches.get(0);
    }

    private void printList(PrintWriter out, List<Restaurant> restaurants) {
        if (json) {
            JsonArray array = new JsonArray();
            restaurants.forEach(r -> array.add(new JsonObject()
                    .put("identifier", r.identifier())
                    .put("name", r.name())
                    .put("location", r.location())));
            out.println(array.encodePrettily());
            return;
        }
        int width = restaurants.stream()
                .mapToInt(r -> r.identifier().length())
                .max()
                .orElse(0);
        for (Restaurant r : restaurants) {
            String where = r.location() == null ? "" : "  (" + r.location() + ")";
            out.println(String.format("%-" + width + "s  %s%s", r.identifier(), r.name(), where));
        }
    }

    private void printMenus(PrintWriter out, List<Menu> menus) {
        if (json) {
            if (menus.size() == 1 && !all) {
                out.println(menus.get(0).toJson().encodePrettily());
            } else {
                JsonArray array = new JsonArray();
                menus.forEach(m -> array.add(m.toJson()));
                out.println(array.encodePrettily());
            }
            return;
        }
        boolean firstMenu = true;
        for (Menu menu : menus) {
            if (!firstMenu) {
                out.println();
            }
            firstMenu = false;
            String where = menu.restaurant().location() == null
                    ? ""
                    : " — " + menu.restaurant().location();
            out.println(
                    menu.restaurant().name() + where + "  [" + menu.restaurant().identifier() + "]");
            if (menu.url() != null) {
                out.println("  " + menu.url());
            }
            if (menu.mapUrl() != null) {
                out.println("  map: " + menu.mapUrl());
            }
            if (menu.dishes().isEmpty()) {
                out.println("  (no dishes listed today; restaurants are closed at weekends)");
            }
            for (String dish : menu.dishes()) {
                out.println("  * " + dish);
            }
        }
    }

    private JsonObject getJson(String path) throws LunchException {
        URI uri;
        try {
            uri = URI.create(base() + path);
        } catch (IllegalArgumentException e) {
            throw new LunchException("--url is not a URL: '" + url + "'");
        }
        HttpResponse<String> response;
        try {
            response = Objects.requireNonNull(client, "call() builds the client before any request")
                    .send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(timeout)
                                    .header("Accept", "application/json")
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LunchException("cannot reach " + uri + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LunchException("interrupted");
        }
        if (response.statusCode() == 404) {
            throw new LunchException("GET " + uri + " answered 404: no such restaurant");
        }
        if (response.statusCode() != 200) {
            throw new LunchException(
                    "GET " + uri + " answered " + response.statusCode() + problemDetail(response.body()));
        }
        try {
            return new JsonObject(response.body());
        } catch (DecodeException | ClassCastException e) {
            throw new LunchException("GET " + uri + " did not answer a JSON object");
        }
    }

    private String base() {
        String trimmed = url.strip();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static String problemDetail(String body) {
        try {
            String detail = new JsonObject(body).getString("detail");
            return detail == null ? "" : ": " + detail;
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }

    private static @Nullable String first(JsonObject json, String... names) {
        for (String name : names) {
            Object value = json.getValue(name);
            if (value instanceof String s && !s.isBlank()) {
                return s;
            }
        }
        return null;
    }
}
