package io.switchboard.platform;

import io.switchboard.platform.observability.HttpServerMetrics;
import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Answers the requests no route handled, after every service has mounted: a path that some route
 * owns (or that lies under a prefix a service owns whole) never falls through to the fallback (the
 * relay's catch-all); it gets 405 with {@code Allow} when the method is wrong, 406 when the method
 * is right but no route could produce an acceptable answer, and 404 under an owned prefix. Only a
 * path nobody owns goes to the fallback, or is 404 without one.
 *
 * <p>Why here and not in Vert.x Web: its router records why a route did not match (405, 406), but a
 * later catch-all route still matches and wins, so a wrong method on {@code /health/ready} used to
 * be relayed. The templates are read once from the mounted routes, so the table is immutable and
 * shared by all event loops.
 */
final class OwnedRoutes implements Handler<RoutingContext> {

    /** One route's path template split into segments, and the methods it accepts (empty: all). */
    private record Template(String path, List<String> segments, boolean prefix, Set<HttpMethod> methods) {

        static Template of(String path, Set<HttpMethod> methods) {
            boolean prefix = path.endsWith("*");
            String fixed = prefix ? path.substring(0, path.length() - 1) : path;
            return new Template(path, split(fixed), prefix, Set.copyOf(methods));
        }

        /**
         * Whether {@code path} (a normalized path, starting with '/') has this template's segments:
         * equal ones, or any non-empty one for a {@code :parameter}; exactly as many, or at least as
         * many for a prefix. Reads the path in place: every relayed request passes here, and
         * splitting its path into a list was a visible share of a cached hit's time.
         */
        boolean matches(String path) {
            int at = path.startsWith("/") ? 1 : 0;
            for (String segment : segments) {
                if (at > path.length()) {
                    return false; // the path has fewer segments
                }
                int end = path.indexOf('/', at);
                if (end < 0) {
                    end = path.length();
                }
                boolean parameter = segment.startsWith(":") && end > at;
                if (!parameter
                        && (end - at != segment.length() || !path.regionMatches(at, segment, 0, segment.length()))) {
                    return false;
                }
                at = end + 1;
            }
            return prefix || at > path.length();
        }
    }

    /** The service that answers paths nobody owns, and its handler; the name is its route label. */
    record Fallback(String service, Handler<RoutingContext> handler) {}

    private final List<Template> templates;
    private final List<String> prefixes;
    private final @Nullable Fallback fallback;

    private OwnedRoutes(List<Template> templates, List<String> prefixes, @Nullable Fallback fallback) {
        this.templates = templates;
        this.prefixes = prefixes;
        this.fallback = fallback;
    }

    /**
     * The table of {@code routes} (those with a path template; middleware without a path is skipped,
     * and a route declared by a raw regular expression has no template and is not known), the
     * prefixes services own whole, and the handler for the rest (or null).
     */
    static OwnedRoutes of(List<Route> routes, List<String> prefixes, @Nullable Fallback fallback) {
        List<Template> templates = new ArrayList<>();
        for (Route route : routes) {
            String path = route.getPath();
            if (path != null) {
                templates.add(Template.of(path, route.methods() == null ? Set.of() : route.methods()));
            }
        }
        for (String prefix : prefixes) {
            if (prefix.isEmpty() || !prefix.startsWith("/") || prefix.endsWith("/")) {
                throw new IllegalArgumentException(
                        "an owned prefix must start with '/' and not end with one, was '" + prefix + "'");
            }
        }
        return new OwnedRoutes(List.copyOf(templates), List.copyOf(prefixes), fallback);
    }

    /** Adds HEAD to every route that answers GET: HEAD works wherever GET does (RFC 9110 §9.3.2). */
    static void headWhereverGet(List<Route> routes) {
        for (Route route : routes) {
            Set<HttpMethod> methods = route.methods();
            if (methods != null && methods.contains(HttpMethod.GET) && !methods.contains(HttpMethod.HEAD)) {
                route.method(HttpMethod.HEAD);
            }
        }
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        Set<HttpMethod> allowed = null;
        boolean anyMethod = false;
        for (Template template : templates) {
            if (template.matches(path)) {
                allowed = allowed == null ? new LinkedHashSet<>() : allowed;
                anyMethod |= template.methods().isEmpty();
                allowed.addAll(template.methods());
            }
        }
        if (allowed != null) {
            HttpMethod method = ctx.request().method();
            if (!anyMethod && !allowed.contains(method)) {
                throw methodNotAllowed(ctx, allowed);
            }
            throw new ProblemException(Problem.ofStatus(
                    406,
                    "Not acceptable",
                    "None of the media types in Accept (" + ctx.request().getHeader(HttpHeaders.ACCEPT)
                            + ") can be produced for " + path));
        }
        if (underOwnedPrefix(path)) {
            throw new ProblemException(Problem.ofStatus(404, "Not found", "No route for " + path));
        }
        if (fallback != null) {
            HttpServerMetrics.labelRoute(ctx, fallback.service());
            fallback.handler().handle(ctx);
            return;
        }
        throw new ProblemException(Problem.ofStatus(404, "Not found", "No route for " + path));
    }

    /**
     * The first template (in mounting order, as the router tries them) that {@code path} matches,
     * else the fallback's label when there is one, else null. Used to label failed requests.
     */
    @Nullable
    String templateOf(String path) {
        for (Template template : templates) {
            if (template.matches(path)) {
                return template.path();
            }
        }
        return fallback == null || underOwnedPrefix(path) ? null : fallback.service();
    }

    private static ProblemException methodNotAllowed(RoutingContext ctx, Set<HttpMethod> allowed) {
        Set<String> names = new TreeSet<>();
        allowed.forEach(m -> names.add(m.name()));
        if (names.contains("GET")) {
            names.add("HEAD");
        }
        String allow = names.stream().collect(Collectors.joining(", "));
        ctx.response().putHeader(HttpHeaders.ALLOW, allow);
        return new ProblemException(Problem.ofStatus(
                405,
                "Method not allowed",
                "Method " + ctx.request().method().name() + " is not allowed on " + ctx.normalizedPath() + "; allowed: "
                        + allow));
    }

    private boolean underOwnedPrefix(String path) {
        for (String prefix : prefixes) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    /** A template's segments; a trailing slash counts as a last empty segment, as Vert.x Web matches it. */
    private static List<String> split(String path) {
        List<String> segments = new ArrayList<>(List.of(path.split("/", -1)));
        if (!segments.isEmpty() && segments.get(0).isEmpty()) {
            segments.remove(0);
        }
        return segments;
    }
}
