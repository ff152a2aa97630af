// `node bench/micro-write.mjs [--redis] [dist/session/index.js ...]`: the session layer's own cost per request,
// without HTTP: useSession (+ updateSession for writes) on synthetic h3 events, one session per simulated
// client, memory store or (--redis) a throw-away redis-server. Given several builds, runs them in interleaved
// rounds and prints the median process CPU µs per request of each, so a change's gain can be measured on a
// shared machine (A/B of two builds). With --redis, a raw ioredis GET (+ SET PX) row is the ceiling.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getCookie } from 'h3';
import Redis from 'ioredis';
import { createStorage } from 'unstorage';
import { startRedis } from '../tools/redis-server.mjs';
import { median } from './lib/stats.mjs';
import { storedSessionCookies, syntheticEvent as event } from './lib/synthetic-event.mjs';

const args = process.argv.slice(2);
const useRedis = args.includes('--redis');
const entries = args.filter((a) => !a.startsWith('--'));
const builds = entries.length ? entries : ['dist/session/index.js'];
const redisServer = useRedis ? await startRedis() : null;
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const REQUESTS = 20_000;
const SESSIONS = 32;

async function setup(entry) {
  const lib = await import(pathToFileURL(resolve(entry)).href);
  const store = redisServer ? await lib.createUnstorageStore({ type: 'redis', options: { url: redisServer.url } }) : createStorage();
  const config = { store, secret: 'bench-secret-bench-secret-bench-secret-0123456789', maxAge: 86_400, cookie: { secure: false } };
  const cookies = await storedSessionCookies(lib, config, SESSIONS, () => ({ n: 0 }));
  const run = async (write) => {
    // CPU time, not wall time: on a shared machine the wait for a core is not the session layer's cost.
    const start = process.cpuUsage();
    for (let i = 0; i < REQUESTS; i += SESSIONS) {
      await Promise.all(
        cookies.map(async (cookie) => {
          const e = event(cookie);
          await lib.useSession(e, config);
          if (write) await lib.updateSession(e, (data) => ({ n: (data.n ?? 0) + 1 }));
        }),
      );
    }
    const used = process.cpuUsage(start);
    return (used.user + used.system) / REQUESTS;
  };
  return { entry, run, read: [], write: [] };
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
  const run = async (write) => {
    const start = process.cpuUsage();
    for (let i = 0; i < REQUESTS; i += SESSIONS) {
      await Promise.all(
        cookies.map(async (cookie) => {
          const key = `raw:${getCookie(event(cookie), 'sid')}`;
          const n = JSON.parse(await redis.get(key)).data.n;
          if (write) await redis.set(key, value(n + 1), 'PX', 1e8);
        }),
      );
    }
    const used = process.cpuUsage(start);
    return (used.user + used.system) / REQUESTS;
  };
  return { entry: 'raw ioredis GET (+ SET PX)', run, read: [], write: [] };
}

const setups = [];
for (const entry of builds) setups.push(await setup(entry));
if (redisServer) setups.push(await setupRaw());
for (const s of setups) await s.run(true); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const s of setups) {
    s.read.push(await s.run(false));
    s.write.push(await s.run(true));
  }
}
for (const s of setups) {
  console.log(`${s.entry.padEnd(48)} read ${median(s.read).toFixed(2)} µs/req   write ${median(s.write).toFixed(2)} µs/req`);
}
await redisServer?.stop();
process.exit(0);
