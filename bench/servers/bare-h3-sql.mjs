// The ceilings of the SQL rows: bare h3 plus the raw round trips of our SQL store, with no session logic: a SELECT by
// key (read path), that SELECT then an UPDATE (write path), on a table of this process with a value shaped like our
// record. On PostgreSQL through `pg` and on MariaDB through `mysql2`, each with 4 connections (as many as our store
// opens; prepared statements, as ours), on SQLite through db0's libsql connector (as our store), with the same WAL
// settings.
import { randomBytes } from 'node:crypto';
import { createApp, defineEventHandler, getCookie, setCookie, toNodeListener } from 'h3';
import { listen, MAX_AGE, standalone } from './serve.mjs';
import { rawSqlQuery, record } from './store.mjs';

const TTL_MS = MAX_AGE * 1000;
const COOKIE = 'sid';
const TABLE = `bench_ceiling_${process.pid}`;

/** @param {import('./serve.mjs').ServerConfig} config */
export async function start(config) {
  const { query } = await rawSqlQuery(config);
  // MariaDB: a primary key needs a length, and our table's types (sql/analog_sessions.mariadb.sql).
  const [key, text, options] =
    config.store === 'mariadb' ? ['VARCHAR(255)', 'LONGTEXT', ' DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin'] : ['TEXT', 'TEXT', ''];
  await query(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (id ${key} PRIMARY KEY, value ${text} NOT NULL, expires_at BIGINT NOT NULL)${options}`,
    [],
  );
  const app = createApp();
  app.use(
    defineEventHandler(async (event) => {
      if (event.path === '/setup') {
        const id = randomBytes(24).toString('base64url');
        await query(`INSERT INTO ${TABLE} (id, value, expires_at) VALUES (?, ?, ?)`, [`sess:${id}`, record(0), Date.now() + TTL_MS]);
        setCookie(event, COOKIE, id, { httpOnly: true, sameSite: 'lax', maxAge: MAX_AGE });
        return { ok: true };
      }
      const id = getCookie(event, COOKIE);
      const key = `sess:${id}`;
      const [row] = id ? await query(`SELECT value, expires_at FROM ${TABLE} WHERE id = ?`, [key]) : [];
      const n = row ? JSON.parse(row.value).data.n : null;
      if (config.path === 'write' && row) {
        await query(`UPDATE ${TABLE} SET value = ?, expires_at = ? WHERE id = ?`, [record(n + 1), Date.now() + TTL_MS, key]);
      }
      return { ok: true, n };
    }),
  );
  return listen(toNodeListener(app));
}

await standalone(import.meta.url, start);
