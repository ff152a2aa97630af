// The stores of the scenarios: the one a session server is given (made as our README shows, through the build under
// test), and the record the Redis and SQL ceilings keep in place of a session.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createDatabase } from 'db0';
import libsql from 'db0/connectors/libsql/node';
import mysql2 from 'db0/connectors/mysql2';
import postgresql from 'db0/connectors/postgresql';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createStorage } from 'unstorage';
import redisDriver from 'unstorage/drivers/redis';
import { MAX_AGE } from './serve.mjs';

/**
 * @param {import('./serve.mjs').ServerConfig} config
 * @param {(options: object) => Promise<import('unstorage').Storage>} createUnstorageStore  from the build under test
 */
export async function createBenchStore(config, createUnstorageStore) {
  if (config.store === 'redis') return createUnstorageStore({ type: 'redis', options: { url: config.redisUrl } });
  if (config.store === 'postgres' || config.store === 'sqlite' || config.store === 'mariadb') {
    return createUnstorageStore({ type: 'db0', options: { database: sqlDatabase(config) } });
  }
  if (config.store === 'redis-cluster') {
    return createStorage({ driver: redisDriver({ cluster: config.redisCluster?.map((port) => ({ host: '127.0.0.1', port })) }) });
  }
  return createStorage();
}

/** What the Redis ceilings store per session: a value of the size and shape of one of our session records. */
export function record(n) {
  const now = Date.now();
  const ttlMs = MAX_AGE * 1000;
  return JSON.stringify({ version: n + 1, createdAt: now, updatedAt: now, expiresAt: now + ttlMs, data: { n } });
}

/**
 * The db0 database of a SQL scenario: the bench's PostgreSQL or MariaDB (BENCH_POSTGRES_URL, BENCH_MARIADB_URL, set by
 * run.mjs), or a SQLite file of this process alone in BENCH_SQL_DIR (so two scenarios measured side by side never share
 * a file's write lock).
 * @param {import('./serve.mjs').ServerConfig} config
 */
export function sqlDatabase(config) {
  if (config.store === 'postgres') return createDatabase(postgresql({ url: process.env['BENCH_POSTGRES_URL'] }));
  if (config.store === 'mariadb') return createDatabase(mysql2({ uri: process.env['BENCH_MARIADB_URL'] }));
  const file = join(process.env['BENCH_SQL_DIR'] ?? '.', `${process.pid}-${randomBytes(4).toString('hex')}.db`);
  return createDatabase(libsql({ url: `file:${file}` }));
}

/**
 * The SQL ceilings' driver on the scenario's database, with no session logic: `query(sql with ? placeholders,
 * params)` answers the rows; `close()` lets go of the connections. PostgreSQL through a `pg.Pool` and MariaDB through a
 * `mysql2` pool, each of 4 connections (as many as our store opens); SQLite through db0's libsql connector with our
 * store's WAL settings.
 * @param {import('./serve.mjs').ServerConfig} config
 */
export async function rawSqlQuery(config) {
  if (config.store === 'postgres') {
    const pool = new pg.Pool({ connectionString: process.env['BENCH_POSTGRES_URL'], max: 4 });
    const query = async (sql, params) => {
      let n = 0;
      return (
        await pool.query(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows;
    };
    return { query, close: () => pool.end() };
  }
  if (config.store === 'mariadb') {
    const pool = mysql.createPool({ uri: process.env['BENCH_MARIADB_URL'], connectionLimit: 4 });
    return { query: async (sql, params) => (await pool.execute(sql, params))[0], close: () => pool.end() };
  }
  const database = sqlDatabase(config);
  await database.exec('PRAGMA journal_mode = WAL');
  await database.exec('PRAGMA synchronous = NORMAL');
  return { query: async (sql, params) => database.prepare(sql).all(...params), close: () => database.dispose() };
}
