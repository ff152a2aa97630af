// What only the SQL store has: values round-trip exactly (unstorage's db0 driver halves backslashes and fails on
// quotes on PostgreSQL), the documented schema files are what the store runs, expired rows are swept by one statement,
// a bad table name or a database of another dialect fails with a message naming the fix, and a full SQLite file
// answers STORAGE_ERROR and stays intact; a 'deny-new' limit holds under concurrent logins.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase } from 'db0';
import libsql from 'db0/connectors/libsql/node';
import mysql2 from 'db0/connectors/mysql2';
import { createStorage, prefixStorage } from 'unstorage';
import db0Driver from 'unstorage/drivers/db0';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnstorageStore, pruneExpiredSessions } from '../src/index';
import { resolveSessionConfig } from '../src/core/config';
import { serializeRecord } from '../src/core/record';
import { getSessionBackend } from '../src/stores/get-backend';
import { mariadbConnection, mariadbVersionProblem } from '../src/stores/sql/mariadb-connection';
import { schemaStatements, SQL_SYNTAX } from '../src/stores/sql/sql-schema';
import { Client, serve, type Served } from './support/http';
import { createSessionApp } from './support/session-app';
import { mariadbStore, postgresStore, sqlRecords, SQLITE_CONNECTORS, SQLITE_STORES, type StoreUnderTest } from './support/stores';
// @ts-expect-error plain ESM helper shared with bench/
import { startMariadb } from '../../../tools/mariadb-server.mjs';

const schemaFile = (name: string) => fileURLToPath(new URL(`../sql/${name}`, import.meta.url));

const TRICKY = {
  quotes: `"double" 'single' \`back\``,
  newlines: 'a\nb\r\nc\td',
  backslashes: '\\ \\\\ \\n \\x00 C:\\path\\',
  emoji: '🙂👩‍💻🇩🇪 ünïcödé 中文',
  nul: 'a\u0000b',
  sql: "'); DROP TABLE analog_sessions; --",
  large: 'x'.repeat(64 * 1024),
};

// SQLite on each of its connectors: libsql everywhere, node-sqlite only where Node has `node:sqlite`, better-sqlite3 only
// on Node 22+ (both absent on Node 20, not skipped: support/stores.ts).
for (const [name, create] of [
  ['PostgreSQL', postgresStore],
  ...SQLITE_STORES.map(([connector, create]) => [`SQLite (${connector})`, create] as const),
  ['MariaDB', mariadbStore],
] as const) {
  describe(`SQL store on ${name}`, () => {
    let underTest: StoreUnderTest;
    let server: Served;
    beforeAll(async () => {
      underTest = await create();
      server = await serve(createSessionApp(underTest.store).app);
    });
    afterAll(async () => {
      await server?.close();
      await underTest?.dispose();
    });

    it('round-trips quotes, newlines, backslashes, emoji, NUL and 64 KB values exactly, write after write', async () => {
      const client = new Client(server.url);
      await client.json('/set', { body: TRICKY });
      expect((await client.json('/session')).data).toEqual(TRICKY);
      await client.json('/inc', { method: 'POST' });
      await client.json('/set', { body: { more: TRICKY.backslashes } });
      expect((await client.json('/session')).data).toEqual({ ...TRICKY, n: 1, more: TRICKY.backslashes });
      const [key] = await underTest.records!.keys('sess:');
      expect(JSON.parse(String(await underTest.records!.raw(key))).data.backslashes).toBe(TRICKY.backslashes);
    });

    it('sweeps expired rows with pruneExpiredSessions and never reads them back', async () => {
      await underTest.records!.clear();
      await serve(createSessionApp(underTest.store, { maxAge: 60 }).app).then(async (short) => {
        await new Client(short.url).json('/set', { body: { a: 1 } });
        await short.close();
      });
      expect(await underTest.records!.keys('sess:')).toHaveLength(1);
      expect(await pruneExpiredSessions(underTest.store, { now: Date.now() + 30_000 })).toBe(0);
      expect(await pruneExpiredSessions(underTest.store, { now: Date.now() + 61_000 })).toBe(1);
      expect(await underTest.records!.keys('sess:')).toEqual([]);
    });

    it("counts a 'deny-new' limit inside the bind: concurrent logins of one user fill it, then every login is refused", async () => {
      const denying = await serve(createSessionApp(underTest.store, { maxSessionsPerUser: 3, sessionLimitPolicy: 'deny-new' }).app);
      try {
        const devices = Array.from({ length: 8 }, () => new Client(denying.url));
        const statuses = await Promise.all(
          devices.map(async (device) => (await device.request('/login', { body: { user: 'max' } })).status),
        );
        const admitted = statuses.filter((status) => status === 200).length;
        expect(statuses.filter((status) => status !== 200 && status !== 409)).toEqual([]);
        // Exact on each: SQLite writes one statement at a time, each counting every committed row; on PostgreSQL and
        // MariaDB the binds of one user run one at a time (a transaction behind a lock), each counting the ones before.
        expect(admitted).toBe(3);
        expect(await devices[statuses.indexOf(200)]!.json('/sessions')).toHaveLength(admitted);
        expect((await new Client(denying.url).request('/login', { body: { user: 'max' } })).status).toBe(409);
      } finally {
        await denying.close();
      }
    });
  });
}

// A connector that says how many rows a statement changed (libsql's rowsAffected, node:sqlite's and better-sqlite3's
// changes) gets a compare-and-set as one UPDATE judged by that count; only one that does not falls back to `RETURNING 1`.
// Every connector reads rows only of statements that answer some.
for (const [connector, open] of SQLITE_CONNECTORS) {
  describe(`SQLite through db0's ${connector} connector`, () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'session-sqlite-count-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('judges a compare-and-set by the rows its UPDATE changed (no RETURNING 1): a current write counted, a stale one not', async () => {
      const database = open(join(dir, 'sessions.db'));
      const statements: string[] = [];
      const logged = new Proxy(database, {
        get: (target, property, receiver) =>
          property === 'prepare' ? (sql: string) => (statements.push(sql), target.prepare(sql)) : Reflect.get(target, property, receiver),
      });
      const backend = getSessionBackend(createStorage({ driver: db0Driver({ database: logged }) }), 'sess:');
      const record = (version: number, data: object) =>
        serializeRecord({ version, data, createdAt: 1, updatedAt: 1, expiresAt: Date.now() + 60_000 });
      const write = (version: number, data: object) =>
        backend.locks.run('sess:a', async () => backend.compareAndSet('sess:a', version, record(version + 1, data), 60_000));
      try {
        await backend.create('sess:a', record(1, { n: 1 }), 60_000);
        // The connection learnt at its first statement whether the connector counts: SELECT 1 through run().
        expect(statements).toContain('SELECT 1');
        statements.length = 0;
        expect(await write(1, { n: 2 })).toEqual({ status: 'ok' });
        const stale = await write(1, { n: 9 });
        expect(stale.status).toBe('conflict');
        expect(JSON.parse(String((stale as { current: unknown }).current)).data).toEqual({ n: 2 });
        expect(statements.filter((sql) => sql.startsWith('UPDATE'))).toHaveLength(2);
        expect(statements.filter((sql) => sql.includes('RETURNING 1'))).toEqual([]);
      } finally {
        await database.dispose();
      }
    });

    // better-sqlite3 throws "This statement does not return data" when all() reads a statement that answers no rows.
    it('reads rows only of statements that answer some: the table creation and INSERTs without RETURNING go through run()', async () => {
      const database = open(join(dir, 'reads.db'));
      const calls: { method: 'all' | 'run'; sql: string }[] = [];
      const watched = new Proxy(database, {
        get: (target, property, receiver) => {
          if (property !== 'prepare') return Reflect.get(target, property, receiver);
          return (sql: string) => {
            const statement = target.prepare(sql);
            const call =
              (method: 'all' | 'run') =>
              (...params: Parameters<typeof statement.all>) => {
                calls.push({ method, sql });
                return statement[method](...params);
              };
            return { all: call('all'), run: call('run') };
          };
        },
      });
      const backend = getSessionBackend(createStorage({ driver: db0Driver({ database: watched }) }), 'sess:');
      const value = serializeRecord({ version: 1, data: {}, createdAt: 1, updatedAt: 1, expiresAt: Date.now() + 60_000 });
      try {
        await backend.create('sess:a', value, 60_000);
        await backend.revokeUser('sess:user:max');
        const read = calls.filter((call) => call.method === 'all').map((call) => call.sql);
        const ran = calls.filter((call) => call.method === 'run').map((call) => call.sql);
        expect(read.length).toBeGreaterThan(0);
        expect(read.filter((sql) => !/^SELECT |RETURNING/.test(sql))).toEqual([]);
        expect(ran.filter((sql) => sql.startsWith('CREATE '))).toHaveLength(3);
        // The schema row, the session (create) and the revocation mark (revokeUser).
        expect(ran.filter((sql) => sql.startsWith('INSERT ') && !sql.includes('RETURNING'))).toHaveLength(3);
      } finally {
        await database.dispose();
      }
    });
  });
}

describe('SQL store setup', () => {
  for (const [name, file, syntax] of [
    ['PostgreSQL', 'analog_sessions.sql', SQL_SYNTAX.postgresql],
    ['SQLite', 'analog_sessions.sql', SQL_SYNTAX.sqlite],
    ['MariaDB', 'analog_sessions.mariadb.sql', SQL_SYNTAX.mariadb],
  ] as const) {
    it(`documents in sql/${file} exactly the statements it runs on ${name}`, () => {
      const documented = readFileSync(schemaFile(file), 'utf8')
        .split('\n')
        .filter((line) => !line.startsWith('--'))
        .join('\n')
        .split(';')
        .map((statement) => statement.trim())
        .filter(Boolean);
      expect(documented).toEqual(schemaStatements('analog_sessions', syntax));
    });
  }

  it('answers 503 naming the fix for a table name that is not a plain SQL name, and for an unsupported dialect', async () => {
    const database = createDatabase(libsql({ url: ':memory:' }));
    const badTable = await createUnstorageStore({ type: 'db0', options: { database, sessionTable: 'sessions; DROP' } });
    const mssqlLike = { ...database, dialect: 'mssql', prepare: database.prepare, exec: database.exec };
    const otherDialect = await createUnstorageStore({ type: 'db0', options: { database: mssqlLike as typeof database } });
    for (const [store, message] of [
      [badTable, /sessionTable "sessions; DROP" is not a plain SQL name/],
      [otherDialect, /"mssql" dialect is not supported; use a PostgreSQL, SQLite or MariaDB connector/],
    ] as const) {
      const served = await serve(createSessionApp(store).app);
      const response = await new Client(served.url).request('/set', { body: { a: 1 } });
      expect(response.status).toBe(503);
      await served.close();
      await expect(pruneExpiredSessions(store)).rejects.toThrow(message);
    }
    await database.dispose();
  });
});

describe('MariaDB versions', () => {
  it('accepts MariaDB 10.5 and later, and refuses MySQL and older MariaDB naming the fix', () => {
    expect(mariadbVersionProblem('10.11.19-MariaDB-0+deb12u1')).toBeUndefined();
    expect(mariadbVersionProblem('11.4.2-MariaDB')).toBeUndefined();
    expect(mariadbVersionProblem('10.5.0-MariaDB')).toBeUndefined();
    expect(mariadbVersionProblem('10.4.34-MariaDB')).toMatch(/reached MariaDB 10\.4\.34-MariaDB; the store needs MariaDB 10\.5 or later/);
    expect(mariadbVersionProblem('8.0.36')).toMatch(/reached MySQL 8\.0\.36; .*Use MariaDB, or a PostgreSQL or SQLite connector/);
  });
});

describe('MariaDB connections of the store', () => {
  let server: { url: string; stop(): Promise<void> };
  let database: ReturnType<typeof createDatabase>;
  beforeAll(async () => {
    server = await startMariadb();
    // What the store must not depend on: db0's connection told not to count matched rows.
    database = createDatabase(mysql2({ uri: server.url, flags: ['-FOUND_ROWS'] }));
    await database.exec('CREATE TABLE same_values (id INT PRIMARY KEY, v INT)');
    await database.exec('INSERT INTO same_values VALUES (1, 5)');
  });
  afterAll(async () => {
    await database?.dispose();
    await server?.stop();
  });

  it('count an UPDATE that writes the values a row already has, whatever flags db0 was given', async () => {
    const update = 'UPDATE same_values SET v = ? WHERE id = ?';
    expect(await database.prepare(update).run(5, 1)).toMatchObject({ affectedRows: 0 });
    const connection = mariadbConnection(database);
    await connection.init();
    expect(await connection.query(update, [5, 1])).toHaveLength(1);
    expect(await connection.query(update, [5, 2])).toHaveLength(0);
  });

  it('refuse a key longer than the id column (503) instead of cutting it short, on a server that would cut it', async () => {
    await database.exec("SET GLOBAL sql_mode = ''");
    const root = createStorage({ driver: db0Driver({ database }) });
    const served = await serve(createSessionApp(prefixStorage(root, 'p'.repeat(250))).app);
    try {
      expect((await new Client(served.url).request('/set', { body: { a: 1 } })).status).toBe(503);
      expect(await sqlRecords(database).keys('ppp')).toEqual([]);
    } finally {
      await served.close();
    }
  });
});

describe('a plain db0 Database as config.store', () => {
  it('is refused with CONFIG_ERROR naming the wrapper', async () => {
    const database = createDatabase(libsql({ url: ':memory:' }));
    const config = { store: database, secret: 'x'.repeat(32) } as never;
    expect(() => resolveSessionConfig(config)).toThrowError(/config.store is a db0 Database.*createUnstorageStore\(\{ type: 'db0'/);
    expect(() => resolveSessionConfig(config)).toThrowError(expect.objectContaining({ code: 'CONFIG_ERROR' }));
    await database.dispose();
  });
});

describe('SQLite file full', () => {
  it('answers STORAGE_ERROR (503) while the file cannot grow, keeps every acknowledged value, and stays intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-sqlite-full-'));
    const database = createDatabase(libsql({ url: `file:${join(dir, 'sessions.db')}` }));
    const store = await createUnstorageStore({ type: 'db0', options: { database } });
    const served = await serve(createSessionApp(store).app);
    try {
      const client = new Client(served.url);
      await client.json('/set', { body: { kept: 'before' } });
      // What a full disk does to SQLite (SQLITE_FULL), on this connection only: the file may not grow any more.
      const { page_count: pages } = (await database.prepare('PRAGMA page_count').get()) as { page_count: number };
      await database.exec(`PRAGMA max_page_count = ${pages}`);
      const big = { blob: 'x'.repeat(256 * 1024) };
      const refused = await Promise.all([
        client.clone().request('/set', { body: big }),
        new Client(served.url).request('/set', { body: big }),
      ]);
      expect(refused.map((response) => response.status)).toEqual([503, 503]);
      expect((await client.json('/session')).data).toEqual({ kept: 'before' });
      expect(await database.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
      await database.exec('PRAGMA max_page_count = 1073741823');
      await client.json('/set', { body: big });
      expect((await client.json('/session')).data).toEqual({ kept: 'before', ...big });
    } finally {
      await served.close();
      await store.dispose();
      await database.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('prefixed Storages on one db0 mount (Nitro useStorage)', () => {
  it('keep their sessions apart, each under its prefix', async () => {
    const database = createDatabase(libsql({ url: ':memory:' }));
    const root = createStorage({ driver: db0Driver({ database }) });
    const [first, second] = await Promise.all(
      [prefixStorage(root, 'app1'), prefixStorage(root, 'app2')].map((store) => serve(createSessionApp(store).app)),
    );
    try {
      const client = new Client(first.url);
      await client.json('/set', { body: { app: 1 } });
      const elsewhere = new Client(second.url);
      for (const [name, value] of client.cookies) elsewhere.cookies.set(name, value);
      expect((await elsewhere.json('/session')).data).toEqual({});
      const ids = (await sqlRecords(database).keys('')).filter((id) => !id.startsWith('!'));
      expect(ids).toHaveLength(1);
      expect(ids[0]).toMatch(/^app1:sess:[0-9a-f]{64}$/);
    } finally {
      await first.close();
      await second.close();
      await database.dispose();
    }
  });
});
