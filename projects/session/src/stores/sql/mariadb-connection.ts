// MariaDB through db0's mysql connector (mysql2). The store opens connections of its own with the settings of db0's
// connection: db0 keeps one mysql2 connection per process and never replaces it once the server dropped it, and a
// user's binds need a connection to themselves (a transaction behind a named lock). Each connection counts the rows
// an UPDATE matched, not only those it changed (CLIENT_FOUND_ROWS), speaks utf8mb4, and refuses to truncate a value
// (STRICT_ALL_TABLES): a key too long is an error, never a shortened key that could meet another one.
import { createErrorReport, type Connection, type Db0DatabaseLike, type SqlRow, type SqlSerialized } from './sql-connection';

/** The part of a mysql2 connection (its callback API, under db0's promise wrapper) the store uses. */
interface MysqlConnectionLike {
  config?: object & { clientFlags?: number };
  stream?: { ref?: () => void; unref?: () => void };
  execute(sql: string, values: unknown[], callback: (error: Error | null, result: unknown) => void): unknown;
  query(sql: string, callback: (error: Error | null, result: unknown) => void): unknown;
  once(event: 'connect' | 'error', listener: (error?: Error) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  destroy(): void;
}

/** Connections the store keeps open per database, each running one statement at a time. */
const MARIADB_CONNECTIONS = 4;
/** Longest wait for a new connection. */
const MARIADB_CONNECT_TIMEOUT_MS = 5000;
/** Longest wait for a user's lock (a bind) when the store call has no deadline of its own. */
const MARIADB_LOCK_WAIT_MS = 5000;
/** Tries of a statement, or a bind's transaction, that InnoDB chose as a deadlock's victim (it was rolled back). */
const MARIADB_DEADLOCK_TRIES = 4;
/** mysql2's CLIENT_FOUND_ROWS flag: affectedRows counts the rows an UPDATE matched. */
const CLIENT_FOUND_ROWS = 2;
/** mysql2's number for the utf8mb4_unicode_ci character set. */
const UTF8MB4 = 224;
/**
 * The oldest MariaDB the store accepts. It needs DELETE ... RETURNING (10.0.5) and UPDATEs that read their own table
 * (10.3.2), which MySQL has neither of; releases before 10.5 are untested here and past their end of life.
 */
const MARIADB_MIN = [10, 5];

const rowsMatched = (result: unknown) => Number((result as { affectedRows?: unknown } | null)?.affectedRows ?? 0);

const isDeadlock = (error: unknown) => (error as { errno?: number })?.errno === 1213;

/** Why the store cannot use the server whose `SELECT VERSION()` is `version` (a message naming the fix), if it cannot. */
export function mariadbVersionProblem(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split(/[.-]/).map(Number);
  if (/mariadb/i.test(version) && (major > MARIADB_MIN[0]! || (major === MARIADB_MIN[0] && minor >= MARIADB_MIN[1]!))) return undefined;
  return (
    `sql store: the mysql connector of db0 reached ${/mariadb/i.test(version) ? 'MariaDB' : 'MySQL'} ${version}; the store ` +
    `needs MariaDB ${MARIADB_MIN.join('.')} or later (its statements use DELETE ... RETURNING). Use MariaDB, or ` +
    'a PostgreSQL or SQLite connector.'
  );
}

/** A {@link Connection} to MariaDB through db0's mysql connector. */
export function mariadbConnection(database: Db0DatabaseLike): Connection {
  const report = createErrorReport('MariaDB');
  type Template = { Connection: new (options: { config: object }) => MysqlConnectionLike; config: { clientFlags: number } };
  let template: Promise<Template> | undefined;
  const learn = () =>
    (template ??= (async () => {
      const connection = ((await database.getInstance()) as { connection?: MysqlConnectionLike } | undefined)?.connection;
      const config = connection?.config;
      if (!connection || !config || typeof config.clientFlags !== 'number') {
        throw new Error('sql store: the mysql connector of db0 did not give a mysql2 connection; use db0/connectors/mysql2.');
      }
      // Without an 'error' listener, the idle connection of db0 would throw out of the process when the server goes.
      report.listen(connection, 'the connection of db0');
      return { Connection: connection.constructor as Template['Connection'], config: config as Template['config'] };
    })().catch((error) => {
      template = undefined;
      throw error;
    }));

  const lanes: (Promise<MysqlConnectionLike> | undefined)[] = Array.from({ length: MARIADB_CONNECTIONS }, () => undefined);
  const connected = new Set<MysqlConnectionLike>();
  const call = (connection: MysqlConnectionLike, sql: string, params?: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const done = (error: Error | null, result: unknown) => (error ? reject(error) : resolve(result));
      if (params === undefined) connection.query(sql, done);
      else connection.execute(sql, params, done);
    });
  const open = async (at: number): Promise<MysqlConnectionLike> => {
    const { Connection, config } = await learn();
    const connection = new Connection({
      config: Object.assign(Object.create(config), {
        clientFlags: config.clientFlags | CLIENT_FOUND_ROWS,
        charsetNumber: UTF8MB4,
        connectTimeout: MARIADB_CONNECT_TIMEOUT_MS,
        enableKeepAlive: true,
        // Rows as the store reads them, whatever the app set for its own queries.
        rowsAsArray: false,
        nestTables: undefined,
        typeCast: true,
        namedPlaceholders: false,
        queryFormat: undefined,
      }),
    });
    const opened = lanes[at];
    // A dropped connection is replaced by the next statement of its lane.
    const drop = () => {
      connected.delete(connection);
      if (lanes[at] === opened) lanes[at] = undefined;
    };
    report.listen(connection, 'a connection', drop);
    connection.on('end', drop);
    await new Promise<void>((resolve, reject) => {
      connection.once('connect', () => resolve());
      connection.once('error', reject);
    });
    await call(connection, "SET SESSION sql_mode = TRIM(BOTH ',' FROM CONCAT(@@SESSION.sql_mode, ',STRICT_ALL_TABLES'))");
    report.connected();
    // An idle connection does not keep the process alive (a script that pruned sessions exits); one at work does.
    connection.stream?.unref?.();
    connected.add(connection);
    return connection;
  };
  /** The lane's connection, opened if it has none. */
  const connectionOf = (at: number) =>
    (lanes[at] ??= open(at).catch((error) => {
      lanes[at] = undefined;
      throw error;
    }));
  let running = 0;
  /** A statement's answer as mysql2 gives it: its rows, or for a write a result with `affectedRows`. */
  const send = async (pending: Promise<MysqlConnectionLike>, sql: string, params?: unknown[]): Promise<unknown> => {
    const connection = await pending;
    if (running++ === 0) connection.stream?.ref?.();
    try {
      return await call(connection, sql, params);
    } catch (error) {
      // A broken connection (mysql2 calls it fatal) is reopened by the lane's next statement; an SQL error keeps it.
      if ((error as { fatal?: boolean })?.fatal) {
        const at = lanes.indexOf(pending);
        if (at >= 0) lanes[at] = undefined;
        connection.destroy();
      }
      throw error;
    } finally {
      if (--running === 0) connected.forEach((open) => open.stream?.unref?.());
    }
  };
  const exec = async (pending: Promise<MysqlConnectionLike>, sql: string, params?: unknown[]): Promise<SqlRow[]> => {
    const result = await send(pending, sql, params);
    // A write without RETURNING (MariaDB has no INSERT ... SELECT ... RETURNING here) answers a row per row it matched.
    return Array.isArray(result) ? (result as SqlRow[]) : Array.from({ length: rowsMatched(result) }, () => ({}));
  };
  /** The rows a write matched (CLIENT_FOUND_ROWS: an UPDATE writing identical values counts too). */
  const counted = async (pending: Promise<MysqlConnectionLike>, sql: string, params?: unknown[]): Promise<number> =>
    rowsMatched(await send(pending, sql, params));
  // One statement at a time per connection, on the one with the fewest queued, after the one before it there.
  const queued = lanes.map(() => 0);
  const tails: Promise<unknown>[] = lanes.map(() => Promise.resolve());
  const onLane = <R>(job: (at: number) => Promise<R>): Promise<R> => {
    let at = 0;
    for (let i = 1; i < MARIADB_CONNECTIONS; i++) if (queued[i]! < queued[at]!) at = i;
    queued[at]!++;
    const result = tails[at]!.then(() => job(at)).finally(() => queued[at]!--);
    tails[at] = result.catch(() => undefined);
    return result;
  };
  /** Runs `work` again while InnoDB picks it as a deadlock's victim (rolled back: nothing of it was applied). */
  const retried = async <R>(work: () => Promise<R>): Promise<R> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!isDeadlock(error) || attempt >= MARIADB_DEADLOCK_TRIES) throw error;
      }
    }
  };
  // A user's binds run one at a time: each takes the user's named lock (GET_LOCK, held by its connection), then runs
  // in a transaction, so it counts or evicts with the ones before it committed; the lock is let go after the COMMIT.
  // Every statement of it runs on the connection it started on: a lost connection fails it, nothing runs elsewhere.
  const serialized: SqlSerialized = (key, work, deadline) =>
    onLane((at) =>
      retried(async () => {
        const connection = connectionOf(at);
        const waitMs = deadline === undefined ? MARIADB_LOCK_WAIT_MS : Math.max(1, deadline - performance.now());
        const [lock] = await exec(connection, 'SELECT GET_LOCK(SHA1(?), ?) AS locked', [key, waitMs / 1000]);
        if (Number(lock?.['locked']) !== 1)
          throw new Error(`sql store: another bind of this user held its lock for ${Math.round(waitMs)} ms`);
        try {
          await exec(connection, 'START TRANSACTION');
          try {
            const value = await work(
              (sql, params) => exec(connection, sql, params),
              (sql, params) => counted(connection, sql, params),
            );
            await exec(connection, 'COMMIT');
            return value;
          } catch (error) {
            await exec(connection, 'ROLLBACK').catch(() => undefined);
            throw error;
          }
        } finally {
          await exec(connection, 'DO RELEASE_LOCK(SHA1(?))', [key]).catch(() => undefined);
        }
      }),
    );
  return {
    init: async () => {
      const [row] = await onLane((at) => exec(connectionOf(at), 'SELECT VERSION() AS version'));
      const problem = mariadbVersionProblem(String(row?.['version']));
      if (problem) throw new Error(problem);
    },
    ddl: async (statement) => {
      await onLane((at) => retried(() => exec(connectionOf(at), statement)));
    },
    query: (sql, params) => onLane((at) => retried(() => exec(connectionOf(at), sql, params))),
    count: (sql, params) => onLane((at) => retried(() => counted(connectionOf(at), sql, params))),
    serialized,
  };
}
