// `node bench/micro-write.mjs [--redis | --postgres | --sqlite] [dist/session/index.js ...]`: the session layer's own
// cost per request, without HTTP: useSession (+ updateSession for writes) on synthetic h3 events, one session per
// simulated client, memory store, (--redis) a throw-away redis-server, (--postgres) a throw-away PostgreSQL or
// (--sqlite) a SQLite file, both through db0. Given several builds, runs them in interleaved rounds and prints the
// median process CPU µs per request of each, so a change's gain can be measured on a shared machine (A/B of two
// builds). With a server store, the raw round trips through the same driver are the ceiling row: ioredis GET (+ SET
// PX); the SQL ceilings' SELECT (+ UPDATE) of servers/bare-h3-sql.mjs.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getCookie } from 'h3';
import Redis from 'ioredis';
import { createStorage } from 'unstorage';
import { startPostgres } from '../tools/postgres-server.mjs';
import { startRedis } from '../tools/redis-server.mjs';
import { rawSqlQuery, record, sqlDatabase } from './servers/store.mjs';
import { cpuMs } from './lib/cpu.mjs';
import { median } from './lib/stats.mjs';
import { storedSessionCookies, syntheticEvent as event } from './lib/synthetic-event.mjs';

const args = process.argv.slice(2);
const useRedis = args.includes('--redis');
const entries = args.filter((a) => !a.startsWith('--'));
const builds = entries.length ? entries : ['dist/session/index.js'];
const sqlStore = args.includes('--postgres') ? 'postgres' : args.includes('--sqlite') ? 'sqlite' : undefined;
const redisServer = useRedis ? await startRedis() : null;
const postgresServer = sqlStore === 'postgres' ? await startPostgres() : null;
if (postgresServer) process.env['BENCH_POSTGRES_URL'] = postgresServer.url;
const sqlDir = sqlStore === 'sqlite' ? mkdtempSync(join(tmpdir(), 'micro-write-')) : undefined;
if (sqlDir) process.env['BENCH_SQL_DIR'] = sqlDir;
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const REQUESTS = Number(process.env.REQUESTS ?? 20_000);
const SESSIONS = 32;

/** CPU ms used so far by the throw-away PostgreSQL (its postmaster and every process it started), or 0 without one. */
function databaseCpuMs() {
  if (!postgresServer) return 0;
  const postmaster = Number(readFileSync(join(postgresServer.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  let total = cpuMs(postmaster) ?? 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) total += cpuMs(Number(entry)) ?? 0;
    } catch {
      // gone
    }
  }
  return total;
}

/**
 * Runs `work` and answers this process's CPU µs per request (CPU time, not wall time: on a shared machine the wait for
 * a core is not the session layer's cost), and the database's (PostgreSQL) in `database`. */
async function measure(work, database) {
  const db = databaseCpuMs();
  const start = process.cpuUsage();
  await work();
  const used = process.cpuUsage(start);
  database.push(((databaseCpuMs() - db) * 1000) / REQUESTS);
  return (used.user + used.system) / REQUESTS;
}

/**
 * One line of the table: `run(write)` sends REQUESTS requests, SESSIONS at a time (one per cookie), each doing
 * `request(cookie, write)`; `read`/`write` (and the database's `dbRead`/`dbWrite`) collect each round's µs per request.
 */
function measured(entry, cookies, request) {
  const run = async (write) => {
    for (let i = 0; i < REQUESTS; i += SESSIONS) await Promise.all(cookies.map((cookie) => request(cookie, write)));
  };
  return { entry, run, read: [], write: [], dbRead: [], dbWrite: [] };
}

async function setup(entry) {
  const lib = await import(pathToFileURL(resolve(entry)).href);
  const store = redisServer
    ? await lib.createUnstorageStore({ type: 'redis', options: { url: redisServer.url } })
    : sqlStore
      ? await lib.createUnstorageStore({ type: 'db0', options: { database: sqlDatabase({ store: sqlStore }) } })
      : createStorage();
  const config = { store, secret: 'bench-secret-bench-secret-bench-secret-0123456789', maxAge: 86_400, cookie: { secure: false } };
  const cookies = await storedSessionCookies(lib, config, SESSIONS, () => ({ n: 0 }));
  return measured(entry, cookies, async (cookie, write) => {
    const e = event(cookie);
    await lib.useSession(e, config);
    if (write) await lib.updateSession(e, (data) => ({ n: (data.n ?? 0) + 1 }));
  });
}

/** The Redis ceiling: the same events, a raw GET (and SET PX) of a record-sized value, no session logic. */
async function setupRaw() {
  const redis = new Redis(redisServer.url);
  const cookies = [];
  const value = (n) =>
    JSON.stringify({ version: n + 1, createdAt: Date.now(), updatedAt: Date.now(), expiresAt: Date.now() + 1e8, data: { n } });
  for (let i = 0; i < SESSIONS; i++) {
    await redis.set(`raw:${i}`, value(0), 'PX', 1e8);
    cookies.push(`sid=${i}`);
  }
  return measured('raw ioredis GET (+ SET PX)', cookies, async (cookie, write) => {
    const key = `raw:${getCookie(event(cookie), 'sid')}`;
    const n = JSON.parse(await redis.get(key)).data.n;
    if (write) await redis.set(key, value(n + 1), 'PX', 1e8);
  });
}

/** Closes the ceiling's pool before its server stops. */
const closing = [];

/** The SQL ceiling: the statements of servers/bare-h3-sql.mjs through the same driver, on a table of its own. */
async function setupRawSql() {
  const table = `micro_ceiling_${process.pid}`;
  const { query, close } = await rawSqlQuery({ store: sqlStore });
  closing.push(close);
  await query(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at BIGINT NOT NULL)`, []);
  const cookies = [];
  for (let i = 0; i < SESSIONS; i++) {
    await query(`INSERT INTO ${table} (id, value, expires_at) VALUES (?, ?, ?)`, [`sess:${i}`, record(0), Date.now() + 1e8]);
    cookies.push(`sid=${i}`);
  }
  return measured(`raw ${sqlStore} SELECT (+ UPDATE)`, cookies, async (cookie, write) => {
    const key = `sess:${getCookie(event(cookie), 'sid')}`;
    const [row] = await query(`SELECT value, expires_at FROM ${table} WHERE id = ?`, [key]);
    const n = JSON.parse(row.value).data.n;
    if (write) await query(`UPDATE ${table} SET value = ?, expires_at = ? WHERE id = ?`, [record(n + 1), Date.now() + 1e8, key]);
  });
}

const setups = [];
for (const entry of builds) setups.push(await setup(entry));
if (redisServer) setups.push(await setupRaw());
if (sqlStore) setups.push(await setupRawSql());
for (const s of setups) await s.run(true); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const s of setups) {
    s.read.push(await measure(() => s.run(false), s.dbRead));
    s.write.push(await measure(() => s.run(true), s.dbWrite));
  }
}
for (const s of setups) {
  const database = postgresServer
    ? `   (PostgreSQL read ${median(s.dbRead).toFixed(1)}, write ${median(s.dbWrite).toFixed(1)} µs/req)`
    : '';
  console.log(`${s.entry.padEnd(48)} read ${median(s.read).toFixed(2)} µs/req   write ${median(s.write).toFixed(2)} µs/req${database}`);
}
for (const close of closing) await close();
await redisServer?.stop();
await postgresServer?.stop();
if (sqlDir) rmSync(sqlDir, { recursive: true, force: true });
process.exit(0);
