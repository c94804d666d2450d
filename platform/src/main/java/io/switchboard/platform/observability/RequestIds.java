package io.switchboard.platform.observability;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the client's {@code X-Request-Id} when it is sane, else a new UUID. The
 * id is echoed in the response header, written in every log line about the request and put in
 * problem bodies, so one id finds a request across client, access log and error log.
 */
public final class RequestIds implements Handler<RoutingContext> {

    /** Header carrying the id both ways. */
    public static final String HEADER = "X-Request-Id";

    /** Key under which the id is stored in the routing context. */
    private static final String CONTEXT_KEY = RequestIds.class.getName();

    /** Client ids are copied into logs and headers, so only short printable tokens are accepted. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    @Override
    public void handle(RoutingContext ctx) {
        String offered = ctx.request().getHeader(HEADER);
        String id = offered != null && ACCEPTED.matcher(offered).matches() ? offered : newId();
        ctx.put(CONTEXT_KEY, id);
        ctx.response().putHeader(HEADER, id);
        ctx.next();
    }

    /**
     * A random (version 4) UUID. Ids must be unique, not unguessable, so they come from the thread's
     * own generator: {@code UUID.randomUUID()} draws on the shared SecureRandom, which showed in
     * profiles of every request.
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(high, low).toString();
    }

    /** The request's id, or null before this handler ran. */
    public static String of(RoutingContext ctx) {
        return ctx.get(CONTEXT_KEY);
    }
}
