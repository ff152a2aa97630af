// The one table the SQL store keeps (see projects/session/sql/analog_sessions.sql and analog_sessions.mariadb.sql,
// which a test holds equal to schemaStatements()): a row per session record, moved mark and revocation time, keyed by
// the store key (a hash, never a session ID). A user's index is the `user_set` column of their sessions' rows, so
// binding, listing and revoking need no second table. The statements are written once, with `?` placeholders (`$n` on
// PostgreSQL, sql-connection.ts); what a database kind spells differently is its {@link SqlSyntax}.

/** The table's default name; `sessionTable` in the db0 driver's options names another. */
export const DEFAULT_SESSION_TABLE = 'analog_sessions';

/**
 * Version of the table's layout, kept in its {@link SCHEMA_ROW} row. A release that changes the layout raises it and
 * migrates older tables on first use; a release finding a newer version than its own refuses to touch the table.
 */
export const SCHEMA_VERSION = 1;

/** Id of the row holding {@link SCHEMA_VERSION}: no store key starts with `!`, and it never expires. */
export const SCHEMA_ROW = '!analog-session-schema';

/** `expires_at` of rows that never expire (the schema row). */
const NEVER = Number.MAX_SAFE_INTEGER;

/** Table names the store accepts: a plain SQL identifier, so it can be written into statements unquoted. */
export const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** What the statements of one database kind spell differently; each kind's is in {@link SQL_SYNTAX}. */
export interface SqlSyntax {
  /** The columns' types and the table's options. */
  createTable: (table: string) => string;
  /** The condition of the `user_set` index: a partial index where the database has them. */
  userSetIndexWhere: string;
  /** Ends an INSERT that replaces the row of the same id. */
  upsert: string;
  /** Ends an INSERT that leaves the row of the same id as it is. */
  keepExisting: string;
  /**
   * Ends an INSERT ... SELECT whose caller needs to know whether it wrote a row: `RETURNING id`, or nothing where the
   * database has no RETURNING there and the connection answers a row per row written (MariaDB). An UPDATE's caller
   * counts the rows it changed instead (SqlConnection.count).
   */
  wroteRows: string;
  /** The rows of a `SELECT id` as a DELETE's `IN (...)` can take them (MariaDB takes no LIMIT there). */
  idsIn: (select: string) => string;
  /** Writes in WITH: a regeneration is one statement (PostgreSQL); else two (place, then take). */
  writesInWith: boolean;
  /** The statement sending a session notice to every instance (channel, notice), where the database has one. */
  notify?: string;
}

const PORTABLE_UPSERT =
  'ON CONFLICT (id) DO UPDATE SET value = excluded.value, version = excluded.version, ' +
  'expires_at = excluded.expires_at, user_set = excluded.user_set';
const portableTable = (table: string) => `CREATE TABLE IF NOT EXISTS ${table} (
  id TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  version BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  user_set TEXT
)`;

/** What PostgreSQL and SQLite spell alike. */
const PORTABLE = {
  createTable: portableTable,
  userSetIndexWhere: ' WHERE user_set IS NOT NULL',
  upsert: PORTABLE_UPSERT,
  keepExisting: 'ON CONFLICT (id) DO NOTHING',
  wroteRows: ' RETURNING id',
  idsIn: (select: string) => select,
};

/** The syntax of each database kind the store runs on. */
export const SQL_SYNTAX = {
  postgresql: { ...PORTABLE, writesInWith: true, notify: 'SELECT pg_notify(?, ?)' },
  sqlite: { ...PORTABLE, writesInWith: false },
  /**
   * MariaDB 10.5+ (db0's mysql connector): keys are VARCHAR (a primary key needs a length; a store key is a prefix
   * and a SHA-256), values LONGTEXT in utf8mb4 (emoji), compared byte by byte. It has DELETE ... RETURNING but no
   * UPDATE ... RETURNING.
   */
  mariadb: {
    createTable: (table) => `CREATE TABLE IF NOT EXISTS ${table} (
  id VARCHAR(255) NOT NULL PRIMARY KEY,
  value LONGTEXT NOT NULL,
  version BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  user_set VARCHAR(255)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin`,
    userSetIndexWhere: '',
    upsert:
      'ON DUPLICATE KEY UPDATE value = VALUES(value), version = VALUES(version), ' +
      'expires_at = VALUES(expires_at), user_set = VALUES(user_set)',
    keepExisting: 'ON DUPLICATE KEY UPDATE id = id',
    wroteRows: '',
    idsIn: (select) => `SELECT id FROM (${select}) AS chosen`,
    writesInWith: false,
  },
} satisfies Record<string, SqlSyntax>;

/** The statements creating the table, its indexes and its schema row; each is a no-op when already done. */
export function schemaStatements(table: string, syntax: SqlSyntax): string[] {
  return [
    syntax.createTable(table),
    `CREATE INDEX IF NOT EXISTS ${table}_expires_at ON ${table} (expires_at)`,
    `CREATE INDEX IF NOT EXISTS ${table}_user_set ON ${table} (user_set)${syntax.userSetIndexWhere}`,
    `INSERT INTO ${table} (id, value, version, expires_at) ` +
      `VALUES ('${SCHEMA_ROW}', 'schema version of @analog-tools/session', ${SCHEMA_VERSION}, ${NEVER}) ${syntax.keepExisting}`,
  ];
}

/**
 * The statements of the store, for `table`. Columns: `version` is the record's version (-1 for a moved mark, the
 * time in ms for a revocation mark), `expires_at` ms since epoch (a row is dead from then on, whatever the sweep
 * did), `user_set` the index key of the record's user.
 */
export function sessionStatements(table: string, syntax: SqlSyntax) {
  const { upsert, wroteRows } = syntax;
  /**
   * The 'deny-new' limit, inside a bind's WHERE: the user has room for one more session. user_set, old id, new id,
   * now, max (the session being bound counts neither under its old nor under its new id).
   */
  const room = ` AND (SELECT COUNT(*) FROM ${table} WHERE user_set = ? AND id <> ? AND id <> ? AND expires_at > ?) < ?`;
  const update = (limited: string) =>
    `UPDATE ${table} SET value = ?, version = ?, expires_at = ?, user_set = CASE WHEN ? = 1 THEN ? ELSE user_set END ` +
    `WHERE id = ? AND version = ? AND expires_at > ?${limited}`;
  const place = (limited: string) =>
    `INSERT INTO ${table} (id, value, version, expires_at, user_set) ` +
    `SELECT ?, ?, ?, ?, CASE WHEN ? = 1 THEN ? ELSE user_set END FROM ${table} WHERE id = ? AND version = ? AND expires_at > ?${limited} ` +
    `${upsert}${wroteRows}`;
  const rename = (limited: string) =>
    `WITH old AS (UPDATE ${table} SET value = ?, version = -1, expires_at = ?, user_set = NULL ` +
    `WHERE id = ? AND version = ? AND expires_at > ?${limited} RETURNING (SELECT p.user_set FROM ${table} p WHERE p.id = ?) AS user_set) ` +
    `INSERT INTO ${table} (id, value, version, expires_at, user_set) ` +
    `SELECT ?, ?, ?, ?, CASE WHEN ? = 1 THEN ? ELSE old.user_set END FROM old ${upsert} RETURNING id`;
  return {
    schemaVersion: `SELECT version FROM ${table} WHERE id = '${SCHEMA_ROW}'`,
    /** id (the caller compares expires_at: an expired row reads as missing, and is left to the sweep, which reports it) */
    get: `SELECT value, expires_at FROM ${table} WHERE id = ?`,
    /** id, value, version, expires_at, user_set */
    put: `INSERT INTO ${table} (id, value, version, expires_at, user_set) VALUES (?, ?, ?, ?, ?) ${upsert}`,
    /**
     * A write that leaves user_set as it is: value, version, expires_at; id, expected version, now. Answers no rows:
     * the count of rows it changed (1 or 0) says whether it wrote.
     */
    updateRecord: `UPDATE ${table} SET value = ?, version = ?, expires_at = ? WHERE id = ? AND version = ? AND expires_at > ?`,
    /** value, version, expires_at, change user_set (1/0), user_set; id, expected version, now. Answers no rows, as {@link updateRecord}. */
    update: update(''),
    /** {@link update}, then the 'deny-new' limit's parameters (see `room`) */
    updateLimited: update(room),
    /**
     * The first half of a rename: writes the new row only while the old one has the expected version, carrying its
     * user_set over unless told otherwise. new id, value, version, expires_at, change user_set (1/0), user_set;
     * old id, expected version, now
     */
    place: place(''),
    /** {@link place}, then the 'deny-new' limit's parameters */
    placeLimited: place(room),
    /**
     * Where the database has writes in WITH (PostgreSQL): a rename in one statement, place and take at once. mark, mark
     * expiry, old id, expected version, now, old id; new id, value, version, expires_at, change user_set (1/0), user_set.
     * The sub-select sees the row as the statement found it: its user_set before the UPDATE.
     */
    rename: syntax.writesInWith ? rename('') : undefined,
    /** {@link rename} with the 'deny-new' limit's parameters after `now` */
    renameLimited: syntax.writesInWith ? rename(room) : undefined,
    /** The second half: the old row becomes a moved mark. mark, mark expiry; old id, expected version */
    take: `UPDATE ${table} SET value = ?, version = -1, expires_at = ?, user_set = NULL WHERE id = ? AND version = ?${wroteRows}`,
    /** id; answers what it deleted (a live record: version >= 0 and expires_at after now) */
    remove: `DELETE FROM ${table} WHERE id = ? RETURNING version, expires_at`,
    /** id, version: an expired record, deleted by exactly one of the calls that found it */
    removeIfVersion: `DELETE FROM ${table} WHERE id = ? AND version = ? RETURNING id`,
    /** revocation id, now */
    revokedAt: `SELECT version FROM ${table} WHERE id = ? AND expires_at > ?`,
    /** user_set, id to keep, now */
    revoke: `DELETE FROM ${table} WHERE user_set = ? AND id <> ? AND expires_at > ? RETURNING id, value`,
    /**
     * Sessions of a user beyond the cap, those expiring first ('evict-oldest'): user_set, the written id, now, a limit
     * larger than any index, how many to keep besides the written one
     */
    evict:
      `DELETE FROM ${table} WHERE id IN (` +
      syntax.idsIn(`SELECT id FROM ${table} WHERE user_set = ? AND id <> ? AND expires_at > ? ORDER BY expires_at DESC LIMIT ? OFFSET ?`) +
      ') RETURNING id',
    /** user_set, now */
    list: `SELECT id, value FROM ${table} WHERE user_set = ? AND expires_at > ? ORDER BY expires_at`,
    /** id, user_set, now */
    removeMember: `DELETE FROM ${table} WHERE id = ? AND user_set = ? AND expires_at > ? RETURNING id`,
    /** now; answers the rows deleted, so the sweep reports the expired sessions among them */
    prune: `DELETE FROM ${table} WHERE expires_at <= ? RETURNING id, value`,
    /** channel, notice: a session notice to every instance listening (PostgreSQL) */
    notify: syntax.notify,
  };
}

export type SessionStatements = ReturnType<typeof sessionStatements>;
