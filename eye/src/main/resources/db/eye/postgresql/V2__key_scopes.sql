-- What a key may do: 'application' (ingest and read its own application's events), 'reader' (read
-- every application's events), 'admin' (both: ingest as its application and read everything).
ALTER TABLE eye_api_keys ADD COLUMN scope TEXT NOT NULL DEFAULT 'application';
