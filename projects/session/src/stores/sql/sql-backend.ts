// PostgreSQL, SQLite and MariaDB through db0: every write is a conditional statement, so it holds across all instances
// sharing the database. A compare-and-set is `UPDATE ... WHERE id = ? AND version = ?`. A regeneration is one statement
// on PostgreSQL (an UPDATE in a WITH); SQLite and MariaDB, which have no writes in WITH, write the new row only while
// the old one has the expected version, then turn the old one into a moved mark under the same condition (undoing the
// new row when another writer got there first). A user's index is a column, so a revocation is one DELETE after its
// revocation mark. Expiry is a column: an expired row is never read back, and the sweep deletes expired rows with one
// statement (answering them, so it reports the sessions it ended). A 'deny-new' limit is a count inside the bind's
// WHERE; an 'evict-oldest' one a DELETE after the bind. Session notices: PostgreSQL's NOTIFY on the table's name, heard
// through LISTEN on a connection of its own (sql-connection.ts); SQLite and MariaDB keep them in this process. What the
// kinds do differently is in sql-dialect.ts.
import { revocationKey } from '../../core/keys';
import { movedMark, movedMarkTime, MOVED_MARK_MS, recordVersion } from '../../core/record';
import {
  createBackendState,
  DEFAULT_SESSION_LIMIT,
  REVOCATION_WINDOW_MS,
  type DeletedMember,
  type UserSetChange,
  type SessionBackend,
  type WriteResult,
} from '../../core/backend';
import { openSqlConnection, type SqlConnection, type SqlDatabaseAccess, type SqlRow } from './sql-connection';
import { sqlDialectOf } from './sql-dialect';
import { schemaStatements, SCHEMA_VERSION, sessionStatements, SQL_SYNTAX } from './sql-schema';

const OK: WriteResult = Object.freeze({ status: 'ok' });
const MISSING: WriteResult = Object.freeze({ status: 'missing' });
const MOVED: WriteResult = Object.freeze({ status: 'moved' });
const FULL: WriteResult = Object.freeze({ status: 'full' });

/** A statement of one store call that answers rows (its deadline bound). */
type Run = (statement: string, params: unknown[]) => Promise<SqlRow[]>;
/** A statement of one store call that answers no rows, only how many it changed (its deadline bound). */
type Count = (statement: string, params: unknown[]) => Promise<number>;

/** A LIMIT larger than any user's index (SQL has no portable "no limit" before an OFFSET). */
const NO_LIMIT = 1_000_000_000;

/** A {@link SessionBackend} on a PostgreSQL, SQLite or MariaDB database of db0, with conditional writes across instances. */
export function createSqlBackend(access: SqlDatabaseAccess): SessionBackend {
  const { table, toId: k, storage } = access;
  const dialect = sqlDialectOf(access.database.dialect);
  // A kind the store does not run on gets a connection that answers why: these statements never run.
  const syntax = dialect?.syntax ?? SQL_SYNTAX.postgresql;
  const sql = sessionStatements(table, syntax);
  const connection: SqlConnection = openSqlConnection(access, dialect?.connect, {
    ddl: schemaStatements(table, syntax),
    check: async (run) => {
      const version = Number((await run(sql.schemaVersion, []))[0]?.['version']);
      if (version > SCHEMA_VERSION) {
        throw new Error(
          `sql store: table ${table} has schema version ${version}, newer than this release's ${SCHEMA_VERSION}. ` +
            'Upgrade @analog-tools/session, or give this app another sessionTable.',
        );
      }
    },
  });
  const { query, count } = connection;
  const versionOf = (value: string) => recordVersion(value) ?? -1;
  // The store's keys (records, user indexes, revocation marks) end with a SHA-256. Another key missing from the table
  // may be a session of the 0.0.x releases, which the driver's own table holds: read and deleted through the Storage,
  // as they were written.
  const isOwn = (key: string) => /[0-9a-f]{64}$/.test(key);

  /** Runs one store call's statements with its deadline, if it has one: SQLite's retries of a busy database stop there. */
  const step = <R>(work: (run: Run, changed: Count) => Promise<R>, deadline?: number): Promise<R> =>
    work(
      (statement, params) => query(statement, params, deadline),
      (statement, params) => count(statement, params, deadline),
    );

  /** The live row's value; an expired one reads as missing. */
  const read = async (run: Run, id: string): Promise<string | null> => {
    const row = (await run(sql.get, [id]))[0];
    return row !== undefined && Number(row['expires_at']) > Date.now() ? String(row['value']) : null;
  };
  /**
   * What `get` answers: the live row's value, or an expired session record as it is (its own expiry, never later
   * than the row's, has passed too): the reader deletes it with removeIfVersion and reports it `expired`, as on
   * stores without native TTL. Other expired rows (moved marks) read as missing; the sweep deletes them.
   */
  const readForCore = async (run: Run, id: string): Promise<string | null> => {
    const row = (await run(sql.get, [id]))[0];
    if (row === undefined) return null;
    const value = String(row['value']);
    return Number(row['expires_at']) > Date.now() || recordVersion(value) !== null ? value : null;
  };
  /** Why a conditional write changed nothing; `limited`: a 'deny-new' count was part of its condition. */
  const refusal = async (run: Run, id: string, expectedVersion: number, limited: boolean): Promise<WriteResult> => {
    const current = await read(run, id);
    if (current === null) return MISSING;
    if (movedMarkTime(current) !== undefined) return MOVED;
    // Versions only grow: the expected one still there means the count refused the bind.
    return limited && recordVersion(current) === expectedVersion ? FULL : { status: 'conflict', current };
  };
  /**
   * After a write that put the session in a user's index: refuses a binding the user's revocation came at or after
   * (checked after the write, so either this sees the revocation or the revocation's DELETE sees the row), then, under
   * 'evict-oldest', ends the user's sessions beyond the cap that expire first.
   */
  const afterBind = async (run: Run, id: string, users: UserSetChange | undefined, now: number): Promise<WriteResult> => {
    if (users?.add === undefined) return OK;
    if (users.bindCreatedAt !== undefined) {
      const revokedAt = (await run(sql.revokedAt, [k(revocationKey(users.add)), Date.now()]))[0]?.['version'];
      if (revokedAt != null && Number(revokedAt) >= users.bindCreatedAt) {
        await run(sql.remove, [id]);
        return MISSING;
      }
    }
    const { max, policy } = users.limit ?? DEFAULT_SESSION_LIMIT;
    if (policy === 'deny-new') return OK;
    const evicted = await run(sql.evict, [k(users.add), id, now, NO_LIMIT, Math.max(0, max - 1)]);
    return evicted.length === 0 ? OK : { status: 'ok', evicted: evicted.map((row) => String(row['id'])) };
  };

  const state = createBackendState();
  if (connection.listen !== undefined && sql.notify !== undefined) {
    const { listen } = connection;
    const notify = sql.notify;
    // The table's name is the channel: every instance on this table hears every notice (a handle names one session).
    state.events.channel = {
      publish: (notice) => query(notify, [table, notice]),
      subscribe: (onNotice) => listen(table, onNotice),
    };
  }

  return {
    backend: 'sql',
    nativeTtl: false,
    ...state,
    memberName: (key) => k(key),
    get: (key) => step(async (run) => (isOwn(key) ? readForCore(run, k(key)) : ((await readForCore(run, k(key))) ?? storage.getItem(key)))),
    create: (key, value, ttlMs, deadline) =>
      step(async (_run, changed) => {
        await changed(sql.put, [k(key), value, versionOf(value), Date.now() + ttlMs, null]);
      }, deadline),
    compareAndSet: (key, expectedVersion, value, ttlMs, { renameTo, users } = {}, deadline) => {
      if (renameTo === undefined && users === undefined) {
        // Most writes change neither the key nor the user index: one UPDATE of the record.
        return step(async (run, changed) => {
          const id = k(key);
          const now = Date.now();
          const updated = await changed(sql.updateRecord, [value, versionOf(value), now + ttlMs, id, expectedVersion, now]);
          return updated === 0 ? refusal(run, id, expectedVersion, false) : OK;
        }, deadline);
      }
      // 'deny-new' applies to a bind (the user changes): counted in the write's own condition, so a full index
      // refuses it with nothing written. On PostgreSQL and MariaDB the binds of one user run one at a time (serialized),
      // so each counts, or evicts beyond the limit, with the ones before it committed.
      const limit = users?.limit;
      const binding = users?.add !== undefined && users.bindCreatedAt !== undefined;
      const limited = binding && limit?.policy === 'deny-new';
      const bind = async (run: Run, changed: Count): Promise<WriteResult> => {
        const now = Date.now();
        const id = k(key);
        const target = renameTo === undefined ? id : k(renameTo);
        // The index a write leaves the session in: `add`'s, or none; unchanged when the write does not say.
        const index = [users ? 1 : 0, users?.add === undefined ? null : k(users.add)];
        const written = [value, versionOf(value), now + ttlMs, ...index];
        const room = limited ? [k(users!.add!), id, target, now, limit!.max] : [];
        if (renameTo === undefined) {
          const updated = await changed(limited ? sql.updateLimited : sql.update, [...written, id, expectedVersion, now, ...room]);
          return updated === 0 ? refusal(run, id, expectedVersion, limited) : afterBind(run, id, users, now);
        }
        const rename = limited ? sql.renameLimited : sql.rename;
        if (rename !== undefined) {
          const moved = [movedMark(now), now + MOVED_MARK_MS, id, expectedVersion, now, ...room, id];
          const renamed = await run(rename, [...moved, target, ...written]);
          return renamed.length === 0 ? refusal(run, id, expectedVersion, limited) : afterBind(run, target, users, now);
        }
        const placed = await run(limited ? sql.placeLimited : sql.place, [target, ...written, id, expectedVersion, now, ...room]);
        if (placed.length === 0) return refusal(run, id, expectedVersion, limited);
        const taken = await run(sql.take, [movedMark(now), now + MOVED_MARK_MS, id, expectedVersion]);
        if (taken.length === 0) {
          await run(sql.remove, [target]);
          return refusal(run, id, expectedVersion, false);
        }
        return afterBind(run, target, users, now);
      };
      const { serialized } = connection;
      if (binding && serialized) {
        return serialized(
          k(users!.add!),
          (inTransaction, countInTransaction) =>
            bind(
              (statement, params) => inTransaction(statement, params, deadline),
              (statement, params) => countInTransaction(statement, params, deadline),
            ),
          deadline,
        );
      }
      return step(bind, deadline);
    },
    remove: (key, _userSet, deadline) =>
      step(async (run) => {
        const now = Date.now();
        const deleted = await run(sql.remove, [k(key)]);
        const live = deleted.some((row) => Number(row['version']) >= 0 && Number(row['expires_at']) > now);
        if (isOwn(key)) return live;
        const legacy = (await storage.getItem(key)) != null;
        if (legacy) await storage.removeItem(key);
        return live || legacy;
      }, deadline),
    removeIfVersion: (key, version, _userSet, deadline) =>
      step(async (run) => {
        if ((await run(sql.removeIfVersion, [k(key), version])).length > 0) return true;
        if (isOwn(key) || recordVersion(await storage.getItem(key)) !== version) return false;
        await storage.removeItem(key);
        return true;
      }, deadline),
    revokeUser: (userSet, exceptKey, deadline) =>
      step(async (run, changed) => {
        const now = Date.now();
        // The mark first: a binding that lands after it refuses itself (afterBind); one before it is deleted here.
        await changed(sql.put, [k(revocationKey(userSet)), String(now), now, now + REVOCATION_WINDOW_MS, null]);
        const deleted = await run(sql.revoke, [k(userSet), exceptKey === undefined ? '' : k(exceptKey), now]);
        return deleted.map((row): DeletedMember => ({
          member: String(row['id']),
          raw: row['value'] == null ? null : String(row['value']),
        }));
      }, deadline),
    listUser: (userSet, currentKey) =>
      step(async (run) => {
        const current = currentKey === undefined ? undefined : k(currentKey);
        const rows = await run(sql.list, [k(userSet), Date.now()]);
        return rows.map((row) => ({
          member: String(row['id']),
          raw: row['value'] == null ? null : String(row['value']),
          current: row['id'] === current,
        }));
      }),
    removeMember: (userSet, member, deadline) =>
      step(async (run) => (await run(sql.removeMember, [member, k(userSet), Date.now()])).length > 0, deadline),
    prune: (now) =>
      step(async (run) =>
        (await run(sql.prune, [now])).map((row): DeletedMember => ({ member: String(row['id']), raw: String(row['value']) })),
      ),
  };
}
