package io.switchboard.eye;

import io.switchboard.eye.ApiKeys.Caller;
import io.switchboard.eye.ingest.Timestamps;
import io.switchboard.eye.query.EventFilter;
import io.switchboard.eye.query.PageCursor;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.MultiMap;
import org.jspecify.annotations.Nullable;

/** The query parameters of a page request, checked; failures name the parameter. */
record PageRequest(EventFilter filter, int limit, @Nullable PageCursor cursor) {

    /** Page size when {@code limit} is absent. */
    private static final int DEFAULT_LIMIT = 100;

    /** Largest page. */
    private static final int MAX_LIMIT = 1000;

    /**
     * This request as {@code caller} may run it: an application key sees its own application
     * only (no {@code application} filter means its own); asking for another one is a 403.
     */
    PageRequest visibleTo(Caller caller) {
        if (caller.scope().readsAllApplications()) {
            return this;
        }
        String asked = filter.application();
        if (asked != null && !asked.equals(caller.application())) {
            throw Authentication.forbidden(
                    "application",
                    "the key of application '" + caller.application() + "' reads only its own events; reading '" + asked
                            + "' needs a key with scope reader or admin");
        }
        return new PageRequest(filter.withApplication(caller.application()), limit, cursor);
    }

    static PageRequest of(MultiMap params) {
        EventFilter filter = new EventFilter(
                params.get("session_id"),
                params.get("category"),
                params.get("name"),
                params.get("application"),
                time(params, "from"),
                time(params, "to"));
        if (filter.fromMicros() != null && filter.toMicros() != null && filter.fromMicros() > filter.toMicros()) {
            throw ProblemException.invalidParameter("to", "'to' must not be earlier than 'from'");
        }
        String cursor = params.get("cursor");
        return new PageRequest(filter, limit(params.get("limit")), cursor == null ? null : PageCursor.decode(cursor));
    }

    private static @Nullable Long time(MultiMap params, String name) {
        String value = params.get(name);
        if (value == null) {
            return null;
        }
        return Timestamps.parseMicros(value)
                .orElseThrow(() -> ProblemException.invalidParameter(
                        name,
                        "'" + name + "' must be an ISO 8601 time such as 2021-01-01T09:15:27Z, was '" + value + "'"));
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.invalidParameter(
                "limit", "'limit' must be an integer from 1 to " + MAX_LIMIT + ", was '" + value + "'");
    }
}
