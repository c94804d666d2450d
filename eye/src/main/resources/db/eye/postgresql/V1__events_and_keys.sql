-- Events as received (status 0 = pending), then validated by the processor (1 = valid, 2 = invalid).
CREATE TABLE eye_events (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT NOT NULL,
    application TEXT NOT NULL,
    session_id TEXT NOT NULL,
    category TEXT NOT NULL,
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    event_timestamp TEXT NOT NULL,
    ts_micros BIGINT NOT NULL,
    received_micros BIGINT NOT NULL,
    status SMALLINT NOT NULL DEFAULT 0,
    rule TEXT,
    reason TEXT,
    CONSTRAINT eye_events_id_unique UNIQUE (id)
);
-- The processor's work list: pending events in arrival order.
CREATE INDEX eye_events_pending ON eye_events (seq) WHERE status = 0;
-- One index per query filter, each ending in the keyset order (timestamp, id).
CREATE INDEX eye_events_by_time ON eye_events (status, ts_micros, id);
CREATE INDEX eye_events_by_session ON eye_events (status, session_id, ts_micros, id);
CREATE INDEX eye_events_by_category ON eye_events (status, category, name, ts_micros, id);
CREATE INDEX eye_events_by_application ON eye_events (status, application, ts_micros, id);

CREATE TABLE eye_api_keys (
    key_id TEXT PRIMARY KEY,
    application TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    created_micros BIGINT NOT NULL,
    revoked_micros BIGINT,
    CONSTRAINT eye_api_keys_hash_unique UNIQUE (key_hash)
);
CREATE INDEX eye_api_keys_by_application ON eye_api_keys (application);
