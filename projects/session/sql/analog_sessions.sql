-- The table of @analog-tools/session's SQL store (PostgreSQL and SQLite, through db0; MariaDB has its own file,
-- analog_sessions.mariadb.sql). The store runs exactly these statements on first use (each is a no-op once done), so
-- running this file yourself is optional: do it when the application's database user may not create tables. Another
-- name: replace analog_sessions everywhere and pass it as `sessionTable` in the db0 driver's options.
--
-- id: the store key (prefix + SHA-256 of the session ID; never the ID itself), or the key of a revocation mark.
-- value: the session record as JSON, or a moved mark left by a regeneration.
-- version: the record's version (compare-and-set: UPDATE ... WHERE id = ? AND version = ?); -1 for a moved mark;
--   the revocation time (ms) for a revocation mark.
-- expires_at: ms since epoch; an expired row is never read back, and pruneExpiredSessions() deletes expired rows.
-- user_set: the index key of the session's user, for listing and revoking a user's sessions.
--
-- Migrations: the row '!analog-session-schema' holds the layout's version (1). A release that changes the layout
-- raises it and migrates older tables on first use; a release that finds a newer version refuses to use the table.
--
-- On SQLite the store also sets, on its connection: PRAGMA busy_timeout = 25; PRAGMA journal_mode = WAL;
-- PRAGMA synchronous = NORMAL (a commit reaches the OS before it is acknowledged; only a power loss can take the last
-- ones) and, once, SELECT 1 (to learn whether db0's connector counts the rows a statement changed). Its other
-- statements read and write rows of this table only (src/stores/sql/sql-schema.ts lists them).
-- On PostgreSQL it also sends session notices with pg_notify('analog_sessions', ...) (the channel is the table's
-- name) and, on an instance with an open event stream, runs LISTEN "analog_sessions" on a connection of its own.
-- Neither needs a grant.
CREATE TABLE IF NOT EXISTS analog_sessions (
  id TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  version BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  user_set TEXT
);
CREATE INDEX IF NOT EXISTS analog_sessions_expires_at ON analog_sessions (expires_at);
CREATE INDEX IF NOT EXISTS analog_sessions_user_set ON analog_sessions (user_set) WHERE user_set IS NOT NULL;
INSERT INTO analog_sessions (id, value, version, expires_at) VALUES ('!analog-session-schema', 'schema version of @analog-tools/session', 1, 9007199254740991) ON CONFLICT (id) DO NOTHING;
