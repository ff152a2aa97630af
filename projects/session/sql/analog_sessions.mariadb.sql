-- The table of @analog-tools/session's SQL store on MariaDB 10.5 or later (db0's mysql2 connector). The store runs
-- exactly these statements on first use (each is a no-op once done), so running this file yourself is optional: do it
-- when the application's database user may not create tables. Another name: replace analog_sessions everywhere and
-- pass it as `sessionTable` in the db0 driver's options. The columns are those of analog_sessions.sql (PostgreSQL and
-- SQLite), with MariaDB's types:
--
-- id: the store key (prefix + SHA-256 of the session ID; never the ID itself), or the key of a revocation mark.
--   VARCHAR(255): a primary key needs a length; keys longer than that are refused, never cut short.
-- value: the session record as JSON (LONGTEXT, utf8mb4: emoji included), or a moved mark left by a regeneration.
-- version: the record's version (compare-and-set: UPDATE ... WHERE id = ? AND version = ?); -1 for a moved mark;
--   the revocation time (ms) for a revocation mark.
-- expires_at: ms since epoch; an expired row is never read back, and pruneExpiredSessions() deletes expired rows.
-- user_set: the index key of the session's user, for listing and revoking a user's sessions.
--
-- Migrations: the row '!analog-session-schema' holds the layout's version (1). A release that changes the layout
-- raises it and migrates older tables on first use; a release that finds a newer version refuses to use the table.
--
-- On each of its connections the store also runs SET SESSION sql_mode = ... (adding STRICT_ALL_TABLES: a value too
-- long is an error, never truncated), and binds a user's sessions one at a time inside
-- SELECT GET_LOCK(SHA1(<user index key>), <wait>) ... DO RELEASE_LOCK(...) around START TRANSACTION ... COMMIT.
-- Neither needs a grant. Its other statements read and write rows of this table only (src/stores/sql/sql-schema.ts).
CREATE TABLE IF NOT EXISTS analog_sessions (
  id VARCHAR(255) NOT NULL PRIMARY KEY,
  value LONGTEXT NOT NULL,
  version BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  user_set VARCHAR(255)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX IF NOT EXISTS analog_sessions_expires_at ON analog_sessions (expires_at);
CREATE INDEX IF NOT EXISTS analog_sessions_user_set ON analog_sessions (user_set);
INSERT INTO analog_sessions (id, value, version, expires_at) VALUES ('!analog-session-schema', 'schema version of @analog-tools/session', 1, 9007199254740991) ON DUPLICATE KEY UPDATE id = id;
