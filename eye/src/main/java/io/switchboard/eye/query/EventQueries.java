package io.switchboard.eye.query;

import io.switchboard.eye.ingest.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Reads events for the data team: keyset pagination in (timestamp, id) order over valid events or
 * over errors, and error counts. Each filter has an index that starts with {@code status} and the
 * filter's columns and ends with {@code (ts_micros, id)}, so a page costs an index range scan of
 * {@code limit} rows whatever the table size. Blocking: called on worker threads.
 */
public final class EventQueries {

    private static final String COLUMNS = "id, application, session_id, category, name, data, event_timestamp,"
            + " ts_micros, received_micros, rule, reason";

    /** Characters of an unreadable payload shown in {@code raw_data}. */
    private static final int MAX_RAW_DATA = 4096;

    private final DataSource dataSource;

    public EventQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One page of results and the cursor of the next one (null on the last page). */
    public record Page(List<JsonObject> items, @Nullable PageCursor next) {}

    /** Events of the given status matching {@code filter}, after {@code after} (null: from the start). */
    public Page page(int status, EventFilter filter, int limit, @Nullable PageCursor after) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM eye_events WHERE status = ?");
        List<Object> args = new ArrayList<>();
        args.add(status);
        where(filter, sql, args);
        if (after != null) {
            sql.append(" AND (ts_micros > ? OR (ts_micros = ? AND id > ?))");
            args.add(after.timestampMicros());
            args.add(after.timestampMicros());
            args.add(after.id());
        }
        sql.append(" ORDER BY ts_micros, id LIMIT ?");
        args.add(limit + 1);
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = prepare(c, sql.toString(), args);
                ResultSet rs = s.executeQuery()) {
            List<JsonObject> items = new ArrayList<>(limit);
            PageCursor last = null;
            boolean more = false;
            while (rs.next()) {
                if (items.size() == limit) {
                    more = true;
                    break;
                }
                items.add(toJson(rs));
                last = new PageCursor(rs.getLong("ts_micros"), rs.getString("id"));
            }
            return new Page(items, more ? last : null);
        }
    }

    /** Invalid events counted per category, name and rule, largest first. */
    public JsonArray errorCounts(EventFilter filter) throws SQLException {
        StringBuilder sql =
                new StringBuilder("SELECT category, name, rule, COUNT(*) AS n FROM eye_events WHERE status = ?");
        List<Object> args = new ArrayList<>();
        args.add(2);
        where(filter, sql, args);
        sql.append(" GROUP BY category, name, rule ORDER BY n DESC, category, name, rule");
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = prepare(c, sql.toString(), args);
                ResultSet rs = s.executeQuery()) {
            JsonArray counts = new JsonArray();
            while (rs.next()) {
                counts.add(new JsonObject()
                        .put("category", rs.getString(1))
                        .put("name", rs.getString(2))
                        .put("rule", rs.getString(3))
                        .put("count", rs.getLong(4)));
            }
            return counts;
        }
    }

    private static void where(EventFilter filter, StringBuilder sql, List<Object> args) {
        equal(sql, args, "session_id", filter.sessionId());
        equal(sql, args, "category", filter.category());
        equal(sql, args, "name", filter.name());
        equal(sql, args, "application", filter.application());
        if (filter.fromMicros() != null) {
            sql.append(" AND ts_micros >= ?");
            args.add(filter.fromMicros());
        }
        if (filter.toMicros() != null) {
            sql.append(" AND ts_micros < ?");
            args.add(filter.toMicros());
        }
    }

    private static void equal(StringBuilder sql, List<Object> args, String column, @Nullable String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            if (arg instanceof Integer n) {
                s.setInt(i + 1, n);
            } else if (arg instanceof Long n) {
                s.setLong(i + 1, n);
            } else {
                s.setString(i + 1, (String) arg);
            }
        }
        return s;
    }

    /**
     * The stored payload as an object; for an event stored before the current input rules whose
     * payload cannot be read (one of the processor's unprocessable errors), {@code data} is null and
     * {@code raw_data} holds the start of the stored text, so listing errors never fails on one.
     */
    private static void putData(JsonObject event, String data) {
        try {
            event.put("data", new JsonObject(data));
        } catch (RuntimeException e) {
            event.putNull("data")
                    .put("raw_data", data.length() > MAX_RAW_DATA ? data.substring(0, MAX_RAW_DATA) : data);
        }
    }

    private static JsonObject toJson(ResultSet rs) throws SQLException {
        JsonObject event = new JsonObject()
                .put("id", rs.getString("id"))
                .put("application", rs.getString("application"))
                .put("session_id", rs.getString("session_id"))
                .put("category", rs.getString("category"))
                .put("name", rs.getString("name"))
                .put("timestamp", rs.getString("event_timestamp"))
                .put(
                        "received_at",
                        Timestamps.fromMicros(rs.getLong("received_micros")).toString());
        putData(event, rs.getString("data"));
        String rule = rs.getString("rule");
        if (rule != null) {
            event.put("rule", rule).put("reason", rs.getString("reason"));
        }
        return event;
    }
}
