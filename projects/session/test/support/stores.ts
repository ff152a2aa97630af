// The storage backends every suite runs against, each with its clean-up: real ones only (a real
// redis-server, postgres or mariadbd on a free port, a temporary folder for fs and SQLite).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, type Database } from 'db0';
import libsql from 'db0/connectors/libsql/node';
import nodeSqlite from 'db0/connectors/node-sqlite';
import mysql2 from 'db0/connectors/mysql2';
import postgresql from 'db0/connectors/postgresql';
import type { Storage } from 'unstorage';
import { createUnstorageStore, pruneExpiredSessions } from '../../src/index';
// @ts-expect-error plain ESM helper shared with e2e/ and bench/
import { startRedis } from '../../../../tools/redis-server.mjs';
// @ts-expect-error plain ESM helper shared with bench/
import { startPostgres } from '../../../../tools/postgres-server.mjs';
// @ts-expect-error plain ESM helper shared with bench/
import { startMariadb } from '../../../../tools/mariadb-server.mjs';

/** What a store holds, seen directly (not through the session API). */
export interface StoredRecords {
  keys(base: string): Promise<string[]>;
  raw(key: string): Promise<unknown>;
  clear(): Promise<void>;
}

export interface StoreUnderTest {
  store: Storage<any>;
  /** The records, where the Storage itself does not show them (the SQL store's own table). @default the Storage */
  records?: StoredRecords;
  dispose: () => Promise<void>;
  /** Keys carry Redis Cluster hash tags. */
  hashTags?: boolean;
}

export async function memoryStore(): Promise<StoreUnderTest> {
  const store = await createUnstorageStore({ type: 'memory' });
  return { store, dispose: () => store.dispose() };
}

export async function lruCacheStore(): Promise<StoreUnderTest> {
  const store = await createUnstorageStore({ type: 'lru-cache' });
  return { store, dispose: () => store.dispose() };
}

export async function fsStore(): Promise<StoreUnderTest> {
  const base = mkdtempSync(join(tmpdir(), 'session-fs-'));
  const store = await createUnstorageStore({ type: 'fs', options: { base } });
  return {
    store,
    dispose: async () => {
      await store.dispose();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

export async function redisStore(): Promise<StoreUnderTest> {
  const redis = await startRedis();
  const store = await createUnstorageStore({ type: 'redis', options: { url: redis.url } });
  return {
    store,
    dispose: async () => {
      await store.dispose();
      await redis.stop();
    },
  };
}

/** The SQL store's table seen directly through db0 (the Storage shows unstorage's own table, not the sessions). */
export function sqlRecords(database: Database, table = 'analog_sessions'): StoredRecords {
  return {
    keys: async (base) => {
      const rows = await database.prepare(`SELECT id FROM ${table} WHERE id LIKE ?`).all(`${base}%`);
      return (rows as { id: string }[]).map((row) => row.id);
    },
    raw: async (key) =>
      ((await database.prepare(`SELECT value FROM ${table} WHERE id = ?`).get(key)) as { value?: string } | undefined)?.value ?? null,
    clear: async () => {
      await database.prepare(`DELETE FROM ${table} WHERE id NOT LIKE ?`).run('!%');
    },
  };
}

/** A SQLite file in a temporary folder, through db0's libsql connector. */
export const sqliteStore = () => sqliteFileStore(openLibsql);

const openLibsql = (file: string) => createDatabase(libsql({ url: `file:${file}` }));

/**
 * True where Node has `node:sqlite` (Node 22.5+ and 24; not Node 20, the main test run's). The suites register their
 * node-sqlite cases only then: on Node 20 they are absent, not skipped (as the Worker leg leaves out its Redis checks);
 * `npm test` runs them in its Node 22 and Node 24 legs (scripts/test-all.sh).
 */
export const HAS_NODE_SQLITE = process.getBuiltinModule?.('node:sqlite') !== undefined;

/**
 * True where better-sqlite3 (13.x, a root devDependency) runs: Node 22 and later. On Node 20 its native module crashes
 * the process when it opens a database (a segfault, not an error), so there neither the module nor db0's connector to
 * it is ever imported: the suites' better-sqlite3 cases are absent, not skipped, and run in `npm test`'s Node 22 and
 * Node 24 legs.
 */
const HAS_BETTER_SQLITE3 = Number(process.versions.node.split('.')[0]) >= 22;

const betterSqlite3 = HAS_BETTER_SQLITE3 ? (await import('db0/connectors/better-sqlite3')).default : undefined;

/**
 * db0's connectors to a SQLite file that the SQLite suites run on: libsql, node-sqlite where Node has `node:sqlite`,
 * better-sqlite3 on Node 22+.
 */
export const SQLITE_CONNECTORS: readonly (readonly [connector: string, open: (file: string) => Database])[] = [
  ['libsql', openLibsql],
  ...(HAS_NODE_SQLITE ? [['node-sqlite', (file: string) => createDatabase(nodeSqlite({ path: file }))] as const] : []),
  ...(betterSqlite3 ? [['better-sqlite3', (file: string) => createDatabase(betterSqlite3({ path: file }))] as const] : []),
];

/** A SQLite file in a temporary folder through each of {@link SQLITE_CONNECTORS}. */
export const SQLITE_STORES = SQLITE_CONNECTORS.map(([connector, open]) => [connector, () => sqliteFileStore(open)] as const);

async function sqliteFileStore(open: (file: string) => Database): Promise<StoreUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'session-sqlite-'));
  return db0Store(open(join(dir, 'sessions.db')), () => rmSync(dir, { recursive: true, force: true }));
}

/** A real PostgreSQL server on a free port, through db0's postgresql connector (pg). */
export const postgresStore = () => sqlServerStore(startPostgres, (url) => createDatabase(postgresql({ url })));

/** A real MariaDB server on a free port, through db0's mysql2 connector. */
export const mariadbStore = () => sqlServerStore(startMariadb, (uri) => createDatabase(mysql2({ uri })));

async function sqlServerStore(
  startServer: () => Promise<{ url: string; stop(): Promise<void> }>,
  connect: (url: string) => Database,
): Promise<StoreUnderTest> {
  const server = await startServer();
  return db0Store(connect(server.url), () => server.stop());
}

/** The store over a db0 database, its table created; `release` frees what holds the database (a file, a server). */
async function db0Store(database: Database, release: () => unknown): Promise<StoreUnderTest> {
  const store = await createUnstorageStore({ type: 'db0', options: { database } });
  // Creates the table (the sweep is the first statement that needs it), so the suite can look into it at once.
  await pruneExpiredSessions(store);
  return {
    store,
    records: sqlRecords(database),
    dispose: async () => {
      try {
        await store.dispose();
        await database.dispose();
      } finally {
        await release();
      }
    },
  };
}
