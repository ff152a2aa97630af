// How the SQL store reaches the database of a db0 `Database` (unjs/db0, the SQL layer of Nitro 3) that an unstorage
// Storage mounts through unstorage's `db0` driver. Statements run with bound parameters straight on the connector,
// never through the driver's getItem/setItem (its PostgreSQL table stores raw values as BYTEA: quotes fail,
// backslashes are halved). SQLite (the libsql, node:sqlite, better-sqlite3 connectors) goes through db0's
// `prepare()`: WAL, a short busy timeout, then bounded retries. PostgreSQL gets connections of its own, opened
// with the settings of db0's client: db0 keeps one `pg.Client` per process and never replaces it once the server
// dropped it, so a restarted server would leave every request failing. MariaDB does the same (mariadb-connection.ts).
import type { Storage } from 'unstorage';
import { prefixRoute, routeOf } from '../key-route';
import { DEFAULT_SESSION_TABLE, TABLE_NAME } from './sql-schema';

/** The part of a db0 `Database` the store uses. */
export interface Db0DatabaseLike {
  readonly dialect: string;
  getInstance(): unknown;
  exec(sql: string): Promise<unknown>;
  prepare(sql: string): {
    all(...params: unknown[]): Promise<unknown[]> | unknown[];
    run(...params: unknown[]): Promise<unknown> | unknown;
  };
}

/** A row as the connector answers it. */
export type SqlRow = Record<string, unknown>;

/**
 * Runs one statement that answers rows (a SELECT, a write with RETURNING) with bound parameters and answers them;
 * `deadline` (performance.now() time) is the store call's, where retries stop.
 */
export type SqlQuery = (sql: string, params: unknown[], deadline?: number) => Promise<SqlRow[]>;

/**
 * Runs one statement that answers no rows (an INSERT or UPDATE without RETURNING) and answers how many rows it changed.
 * Such a statement never goes through {@link SqlQuery}: better-sqlite3 refuses to read rows of a statement that has none.
 */
export type SqlCount = (sql: string, params: unknown[], deadline?: number) => Promise<number>;

/** Hears the notices sent with `pg_notify(channel, ...)`; resolves once listening (PostgreSQL only). */
export type SqlListen = (channel: string, onNotice: (notice: string) => void) => Promise<void>;

/** What the store runs its statements through, and, on PostgreSQL, how it hears notifications. */
export interface SqlConnection {
  query: SqlQuery;
  count: SqlCount;
  /** Undefined on SQLite and MariaDB: the store has no notifications between processes there. */
  listen?: SqlListen;
  /**
   * Runs `work`'s statements in one transaction that first takes a lock named by `key`, so that such transactions of
   * one key run one after the other, each seeing the ones before it committed (PostgreSQL: a transaction-level
   * advisory lock; a statement's snapshot is taken when it starts, so one statement cannot count what a concurrent one
   * writes. MariaDB: GET_LOCK, let go after the COMMIT). Undefined on SQLite, whose writes already run one at a time.
   */
  serialized?: SqlSerialized;
}

/** See {@link SqlConnection.serialized}; `deadline` is the store call's (performance.now() time). */
export type SqlSerialized = <R>(key: string, work: (query: SqlQuery, count: SqlCount) => Promise<R>, deadline?: number) => Promise<R>;

/** Prepares the table before the first statement: runs `ddl`, then `check` (which may refuse the table). */
export interface SqlSetup {
  ddl: string[];
  check: (query: SqlQuery) => Promise<void>;
}

/** What the SQL store needs to know of a Storage mounting the db0 driver. */
export interface SqlDatabaseAccess {
  /** The Storage itself: it keeps what is not the store's own (sessions of the 0.0.x releases). */
  storage: Storage<any>;
  database: Db0DatabaseLike;
  /** The table the sessions live in (`sessionTable` in the driver's options). */
  table: string;
  /** The row id of a store key: the key the db0 driver would be given (a prefixed Storage's prefix added). */
  toId: (key: string) => string;
}

interface Db0DriverLike {
  name?: string;
  options?: { database?: unknown; sessionTable?: unknown };
}

/** True for a db0 `Database` (or anything shaped like one). */
export function isDb0Database(value: unknown): value is Db0DatabaseLike {
  const db = value as Db0DatabaseLike | undefined;
  return (
    !!db && typeof db === 'object' && typeof db.dialect === 'string' && typeof db.prepare === 'function' && typeof db.exec === 'function'
  );
}

/** The db0 database a Storage sends the keys under `prefix` to, through unstorage's db0 driver, or undefined. */
export function findSqlDatabase(storage: Storage<any>, prefix: string): SqlDatabaseAccess | undefined {
  const route = prefixRoute(storage, prefix);
  const driver = route?.driver as Db0DriverLike | undefined;
  if (!route || driver?.name !== 'db0' || !isDb0Database(driver.options?.database)) return undefined;
  const table = driver.options.sessionTable;
  const { head } = route;
  // A key outside `prefix` (none today) is routed like the probe, and must reach the same driver.
  const slow = (key: string) => {
    const other = routeOf(storage, key);
    if (other?.driver !== route.driver) throw new Error(`sql store: ${key} is not stored by the db0 driver of ${prefix}`);
    return other.relativeKey;
  };
  return {
    storage,
    database: driver.options.database,
    table: typeof table === 'string' ? table : DEFAULT_SESSION_TABLE,
    toId: (key) => (key.startsWith(prefix) ? head + key.slice(prefix.length) : slow(key)),
  };
}

/**
 * The query function over `connect`'s connection (the database kind's, sql-dialect.ts; undefined: a kind the store does
 * not run on), which prepares the table before its first statement (again after a failure: the server was down). Its
 * statements reject with a message naming the fix when the configuration is wrong.
 */
export function openSqlConnection(
  access: SqlDatabaseAccess,
  connect: ((database: Db0DatabaseLike) => Connection) | undefined,
  setup: SqlSetup,
): SqlConnection {
  const { database, table } = access;
  if (!TABLE_NAME.test(table)) {
    return failing(
      `sql store: sessionTable ${JSON.stringify(table)} is not a plain SQL name; use letters, digits and _ (e.g. 'analog_sessions').`,
    );
  }
  if (!connect) {
    return failing(
      `sql store: db0's ${JSON.stringify(database.dialect)} dialect is not supported; use a PostgreSQL, SQLite or MariaDB ` +
        'connector (db0/connectors/postgresql, db0/connectors/libsql/node, db0/connectors/node-sqlite, ' +
        'db0/connectors/better-sqlite3, db0/connectors/mysql2).',
    );
  }
  const connection = connect(database);
  let prepared: Promise<void> | undefined;
  const prepare = () =>
    (prepared ??= (async () => {
      await connection.init();
      for (const statement of setup.ddl) await connection.ddl(statement);
      await setup.check(connection.query);
    })().catch((error) => {
      prepared = undefined;
      throw error;
    }));
  let ready = false;
  const serialized = connection.serialized;
  return {
    query: async (sql, params, deadline) => {
      if (!ready) {
        await prepare();
        ready = true;
      }
      return connection.query(sql, params, deadline);
    },
    count: async (sql, params, deadline) => {
      if (!ready) {
        await prepare();
        ready = true;
      }
      return connection.count(sql, params, deadline);
    },
    listen: connection.listen,
    serialized:
      serialized &&
      (async (key, work, deadline) => {
        if (!ready) {
          await prepare();
          ready = true;
        }
        return serialized(key, work, deadline);
      }),
  };
}

/** One database kind's way to run statements. */
export interface Connection {
  /** Session settings, before anything else. */
  init(): Promise<void>;
  /** Runs a statement of the table's creation. */
  ddl(statement: string): Promise<void>;
  query: SqlQuery;
  count: SqlCount;
  listen?: SqlListen;
  serialized?: SqlSerialized;
}

function failing(message: string): SqlConnection {
  return { query: () => Promise.reject(new Error(message)), count: () => Promise.reject(new Error(message)) };
}

/** Milliseconds SQLite itself waits for another writer's lock before answering SQLITE_BUSY (it blocks the thread). */
const SQLITE_BUSY_TIMEOUT_MS = 25;
/** Retries after SQLITE_BUSY, each after a longer pause (up to the store call's deadline): then STORAGE_ERROR. */
const SQLITE_BUSY_RETRIES = 12;

const isBusy = (error: unknown) =>
  /SQLITE_BUSY|SQLITE_LOCKED|database is locked/i.test(`${(error as { code?: string })?.code} ${String(error)}`);

/** The rows a db0 statement's `run()` says it changed (`changes`, libsql's `rowsAffected`), or undefined. */
function changedRows(result: unknown): number | undefined {
  const { changes, rowsAffected } = (result ?? {}) as { changes?: unknown; rowsAffected?: unknown };
  const count = changes ?? rowsAffected;
  return typeof count === 'number' || typeof count === 'bigint' ? Number(count) : undefined;
}

/** A {@link Connection} to SQLite through db0's connector (libsql, node:sqlite, better-sqlite3). */
export function sqliteConnection(database: Db0DatabaseLike): Connection {
  const run = async (sql: string, params: unknown[]) => (await database.prepare(sql).all(...params)) as SqlRow[];
  // The connectors of libsql, node:sqlite, better-sqlite3 and bun answer the rows a statement changed; one that does
  // not (db0's sqlite3) counts the rows of the statement with RETURNING.
  let change = async (sql: string, params: unknown[]) => (await run(`${sql} RETURNING 1`, params)).length;
  const retrying = async <R>(work: () => Promise<R>, deadline: number | undefined): Promise<R> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        // SQLITE_BUSY means the statement was not applied: trying again is safe.
        const pause = Math.min(5 * 2 ** attempt, 200) * (0.5 + Math.random());
        const late = deadline !== undefined && performance.now() + pause >= deadline;
        if (!isBusy(error) || attempt >= SQLITE_BUSY_RETRIES || late) throw error;
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  };
  return {
    init: async () => {
      const counted = await Promise.resolve(database.prepare('SELECT 1').run()).then(changedRows, () => undefined);
      if (counted !== undefined) {
        change = async (sql, params) => {
          const changed = changedRows(await database.prepare(sql).run(...params));
          if (changed === undefined)
            throw new Error('sql store: the SQLite connector of db0 did not say how many rows a statement changed.');
          return changed;
        };
      }
      await database.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      // WAL: readers never wait for the writer, and several processes share the file safely. A database that
      // cannot switch (in memory) keeps its mode.
      await database.exec('PRAGMA journal_mode = WAL');
      // In WAL mode a commit then reaches the OS before it is acknowledged (a crashed process loses nothing) without
      // an fsync per write; only a power loss can take the last commits.
      await database.exec('PRAGMA synchronous = NORMAL');
    },
    ddl: async (statement) => {
      // run(), not all(): these statements answer no rows, and better-sqlite3 refuses all() on them.
      await database.prepare(statement).run();
    },
    query: (sql, params, deadline) => retrying(() => run(sql, params), deadline),
    count: (sql, params, deadline) => retrying(() => change(sql, params), deadline),
  };
}

/** The part of a `pg.Client` the store uses. */
interface PgClientLike {
  connectionParameters?: Record<string, unknown>;
  query(config: { name?: string; text: string; values: unknown[] }): Promise<PgResult>;
  query(config: { name?: string; text: string; values: unknown[] }, callback: PgCallback): void;
  query(query: object): void;
  connect(): Promise<unknown>;
  end(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown;
}

/** Connections the PostgreSQL store keeps open per database, each running one statement at a time. */
const PG_CONNECTIONS = 4;
/** Longest wait for a new connection to PostgreSQL. */
const PG_CONNECT_TIMEOUT_MS = 5000;
/** Longest pause between attempts to reopen a lost LISTEN connection (the pauses double from 100 ms). */
const PG_LISTEN_RETRY_MAX_MS = 5000;

type Socket = { ref?: () => void; unref?: () => void };
const socketOf = (client: PgClientLike) => (client as { connection?: { stream?: Socket } }).connection?.stream;
const idle = (client: PgClientLike) => socketOf(client)?.unref?.();
const busy = (client: PgClientLike) => socketOf(client)?.ref?.();

/** What pg answers for a statement: its rows, and how many rows it changed (null for statements that change none). */
interface PgResult {
  rows: SqlRow[];
  rowCount: number | null;
}

/** A statement as pg takes it: named ones are prepared once per connection. */
type PgStatement = { name?: string; text: string };

/** How pg answers a statement sent with a callback. */
type PgCallback = (error: unknown, result?: PgResult) => void;

/** pg's Query: a statement with its values and callback, which `client.query()` sends as it is. */
type PgQueryClass = new (text: string, values: unknown[], callback: PgCallback) => { name?: string };

/** Work on one lane's connection, which calls `done` once it has finished there. */
type LaneTask = (at: number, done: () => void) => void;

/** `?` placeholders as PostgreSQL's `$1, $2, ...` (no statement of the store has a `?` inside a literal). */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

const rowsOf = (result: PgResult) => result.rows;
const countOf = (result: PgResult) => result.rowCount ?? 0;

/** A {@link Connection} to PostgreSQL through db0's postgresql connector (pg). */
export function postgresConnection(database: Db0DatabaseLike): Connection {
  const report = createErrorReport('PostgreSQL');
  // db0's client tells how to connect (its parameters, whatever form they were given in) and which `pg` to use.
  let template: Promise<{ Client: new (config: unknown) => PgClientLike; config: Record<string, unknown> }> | undefined;
  /** The Query class of db0's `pg` (undefined if it has none: statements then go as config objects). */
  let Query: PgQueryClass | undefined;
  const learn = () =>
    (template ??= (async () => {
      const client = (await database.getInstance()) as PgClientLike;
      report.listen(client, 'the client of db0');
      const config = client.connectionParameters;
      if (!config) throw new Error('sql store: the postgresql connector of db0 did not give a pg.Client; use db0/connectors/postgresql.');
      const Client = client.constructor as (new (config: unknown) => PgClientLike) & { Query?: unknown };
      if (typeof Client.Query === 'function') Query = Client.Query as PgQueryClass;
      return { Client, config };
    })().catch((error) => {
      template = undefined;
      throw error;
    }));
  /** A new client with db0's parameters (the password too, which is not enumerable), not yet connected. */
  const newClient = async () => {
    const { Client, config } = await learn();
    // A bounded connection wait: a server that does not answer fails the next query instead of holding it for the
    // OS' TCP timeout.
    return new Client(Object.assign(Object.create(config), { connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS, keepAlive: true }));
  };
  // The lanes: a connection each, running one statement (or one transaction) at a time.
  const lanes: (Promise<PgClientLike> | undefined)[] = Array.from({ length: PG_CONNECTIONS }, () => undefined);
  /** Each lane's client once connected: a warm lane's statements go to it without waiting on a promise. */
  const ready: (PgClientLike | undefined)[] = lanes.map(() => undefined);
  const connected = new Set<PgClientLike>();
  /** Forgets lane `at`'s client: the lane's next statement opens another. */
  const forget = (at: number, client: PgClientLike) => {
    if (ready[at] !== client) return;
    ready[at] = undefined;
    lanes[at] = undefined;
  };
  const open = async (at: number): Promise<PgClientLike> => {
    const client = await newClient();
    const opened = lanes[at];
    // A dropped connection is replaced by the next query of its lane.
    const drop = () => {
      connected.delete(client);
      forget(at, client);
      if (lanes[at] === opened) lanes[at] = undefined;
    };
    report.listen(client, 'a connection', drop);
    client.on('end', drop);
    await client.connect();
    report.connected();
    idle(client);
    connected.add(client);
    if (lanes[at] === opened) ready[at] = client;
    return client;
  };
  let running = 0;
  /** Sends a statement on a connected client and calls back with pg's answer. */
  const submit = (at: number, client: PgClientLike, statement: PgStatement, params: unknown[], callback: PgCallback) => {
    // An idle connection does not keep the process alive (a script that pruned sessions exits); one at work does.
    if (running++ === 0) busy(client);
    const answer: PgCallback = (error, result) => {
      if (--running === 0) connected.forEach(idle);
      if (error) {
        // A broken connection is reopened by the lane's next query; an SQL error (a SQLSTATE code) keeps it.
        const code = String((error as { code?: unknown })?.code);
        if (!/^[0-9A-Z]{5}$/.test(code) || /^(08|57P)/.test(code)) {
          forget(at, client);
          client.end().catch(() => undefined);
        }
      }
      callback(error, result);
    };
    try {
      if (Query === undefined) return void client.query({ ...statement, values: params }, answer);
      // A pg Query made from the text, then named: given a config object, pg copies its property descriptors first.
      const query = new Query(statement.text, params, answer);
      if (statement.name !== undefined) query.name = statement.name;
      client.query(query);
    } catch (error) {
      answer(error);
    }
  };
  /** Runs one statement on lane `at`'s connection, opened first when it is not, and calls back with pg's answer. */
  const send = (at: number, statement: PgStatement, params: unknown[], callback: PgCallback) => {
    const client = ready[at];
    if (client !== undefined) return submit(at, client, statement, params, callback);
    const pending = (lanes[at] ??= open(at).catch((error) => {
      lanes[at] = undefined;
      throw error;
    }));
    pending.then(
      (opened) => submit(at, opened, statement, params, callback),
      (error) => callback(error),
    );
  };
  // One statement at a time per connection (pg 9 refuses a query on a busy client): each goes to the connection with
  // the fewest statements queued, after the one before it there.
  const waiting: LaneTask[][] = lanes.map(() => []);
  const active: boolean[] = lanes.map(() => false);
  /** Starts `task` on the connection with the fewest tasks queued, once the one before it there called its `done`. */
  const onLane = (task: LaneTask) => {
    let at = 0;
    let least = Infinity;
    for (let i = 0; i < PG_CONNECTIONS; i++) {
      const queued = waiting[i]!.length + (active[i] ? 1 : 0);
      if (queued < least) [at, least] = [i, queued];
    }
    if (active[at]) waiting[at]!.push(task);
    else {
      active[at] = true;
      task(at, () => next(at));
    }
  };
  const next = (at: number) => {
    const task = waiting[at]!.shift();
    if (task === undefined) active[at] = false;
    else task(at, () => next(at));
  };
  const run = (statement: PgStatement, params: unknown[]) =>
    new Promise<PgResult>((resolve, reject) =>
      onLane((at, done) =>
        send(at, statement, params, (error, result) => {
          done();
          if (error) reject(error);
          else resolve(result!);
        }),
      ),
    );
  // A transaction holds its connection from BEGIN to COMMIT: its statements run there, nothing else in between. It
  // waits only for the advisory lock, which another connection's transaction holds and releases at its COMMIT.
  const serialized: SqlSerialized = (key, work) =>
    new Promise((resolve, reject) =>
      onLane((at, done) => {
        const exec = (statement: PgStatement, params: unknown[]) =>
          new Promise<PgResult>((answered, failed) =>
            send(at, statement, params, (error, result) => (error ? failed(error) : answered(result!))),
          );
        const transaction = async () => {
          await exec({ text: 'BEGIN' }, []);
          try {
            await exec(prepared('SELECT pg_advisory_xact_lock(hashtext(?))'), [key]);
            const value = await work(
              async (sql, params) => (await exec(prepared(sql), params)).rows,
              async (sql, params) => (await exec(prepared(sql), params)).rowCount ?? 0,
            );
            await exec({ text: 'COMMIT' }, []);
            return value;
          } catch (error) {
            await exec({ text: 'ROLLBACK' }, []).catch(() => undefined);
            throw error;
          }
        };
        transaction().then(
          (value) => (done(), resolve(value)),
          (error) => (done(), reject(error)),
        );
      }),
    );
  // Each statement of the store is prepared once per connection, under a name of its own: the server parses and plans
  // it once, not on every request.
  const statements = new Map<string, PgStatement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) statements.set(sql, (statement = { name: `analog_session_${statements.size}`, text: numbered(sql) }));
    return statement;
  };
  /**
   * LISTEN on a connection of its own (a LISTEN belongs to its connection, and the lanes' connections come and go),
   * idle so it never keeps the process alive. Once listening, a lost connection is reopened (pauses doubling up to
   * PG_LISTEN_RETRY_MAX_MS) and listens again: notices sent while it was down are not heard. A first attempt that
   * fails rejects, and the caller tries again later.
   */
  const listen: SqlListen = async (channel, onNotice) => {
    let attempt = 0;
    let listening = false;
    const retry = () => {
      const pause = Math.min(100 * 2 ** attempt++, PG_LISTEN_RETRY_MAX_MS);
      setTimeout(() => connect().catch(retry), pause).unref?.();
    };
    const connect = async (): Promise<void> => {
      const client = await newClient();
      let lost = false;
      const reopen = () => {
        if (lost) return;
        lost = true;
        client.end().catch(() => undefined);
        if (listening) retry();
      };
      report.listen(client, 'the connection listening for session notices', reopen);
      client.on('end', reopen);
      client.on('notification', (message) => {
        if (message.channel === channel && message.payload !== undefined) onNotice(message.payload);
      });
      try {
        await client.connect();
        await client.query({ text: `LISTEN "${channel}"`, values: [] });
      } catch (error) {
        // Not this attempt's business to retry: the first one's caller does, a reopening one schedules the next.
        lost = true;
        client.end().catch(() => undefined);
        throw error;
      }
      report.connected();
      attempt = 0;
      idle(client);
    };
    await connect();
    listening = true;
  };
  return {
    init: async () => undefined,
    listen,
    ddl: async (statement) => {
      // Two processes creating the table at once: one of them fails on PostgreSQL's catalog; the table is there.
      for (let attempt = 0; ; attempt++) {
        try {
          await run({ text: statement }, []);
          return;
        } catch (error) {
          const code = String((error as { code?: unknown })?.code);
          if (attempt >= 3 || !['23505', '42P07', '40P01'].includes(code)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
        }
      }
    },
    query: (sql, params) => run(prepared(sql), params).then(rowsOf),
    count: (sql, params) => run(prepared(sql), params).then(countOf),
    serialized,
  };
}

/** A client whose 'error' events the store hears (pg's, mysql2's). */
interface ErrorEmitterLike {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Without an 'error' listener a pg or mysql2 client whose server went away throws out of the process. Requests already
 * fail with STORAGE_ERROR: the store logs a lost connection to `server` once, and again only after a connection
 * succeeded since.
 */
export function createErrorReport(server: string): {
  listen(client: ErrorEmitterLike, what: string, onError?: () => void): void;
  connected(): void;
} {
  let reported = false;
  return {
    listen: (client, what, onError) => {
      client.on('error', (error: Error) => {
        onError?.();
        if (reported) return;
        reported = true;
        console.error(
          `[@analog-tools/session] sql store: ${what} to ${server} failed: ${error.message} (muted until a connection succeeds)`,
        );
      });
    },
    connected: () => {
      reported = false;
    },
  };
}
