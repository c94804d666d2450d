package io.switchboard.eye.process;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The processor's {@link SessionHistory} per session, kept from one batch to the next.
 *
 * <p>Loading a session's history reads every valid event of it received in the last reorder
 * window: 300,000 rows for a session sending 5,000 events/s with the default minute. Loaded per
 * batch, that was most of the processor's work, and it ran while acknowledgements waited for the
 * CPU. Kept here, a history is loaded once and then follows the database by itself: this thread is
 * the only one that marks events valid, and it {@linkplain SessionHistory#add adds} each one it
 * marks. Whenever that may not hold (a batch failed, verdicts were written one by one, the
 * processor starts over from the first pending event), {@link #forgetAll} drops everything and the
 * next batch loads from the database again.
 *
 * <p>Bounded: the least recently used sessions beyond {@link #MAX_SESSIONS} are dropped (a dropped
 * session is simply loaded again when it sends). A history is used only for a batch whose horizon
 * is at or after its own: an event that arrived earlier than ones already judged (a slow request
 * committed late) makes its session load again.
 *
 * <p>Not thread-safe: only the processor thread uses it.
 */
final class SessionHistories {

    /** Sessions kept; a few hundred bytes each, plus their events of the last reorder window. */
    static final int MAX_SESSIONS = 20_000;

    private final Map<String, SessionHistory> histories = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SessionHistory> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

    /**
     * The kept history of {@code sessionId} moved forward to {@code horizon}, or null when there is
     * none that can answer for it (never loaded, dropped, or loaded for a later horizon).
     */
    @Nullable
    SessionHistory get(String sessionId, long horizon) {
        SessionHistory history = histories.get(sessionId);
        if (history == null) {
            return null;
        }
        if (history.horizon() > horizon) {
            histories.remove(sessionId);
            return null;
        }
        history.foldTo(horizon);
        return history;
    }

    void put(String sessionId, SessionHistory history) {
        histories.put(sessionId, history);
    }

    /** Drops every history: the database is the truth again. */
    void forgetAll() {
        histories.clear();
    }

    /** Sessions kept now, for tests. */
    int size() {
        return histories.size();
    }
}
