// Session event streams (defineSessionEventsHandler) against the BUILT library (dist/session, built when stale), on a
// throw-away Redis. `npm run bench` runs it after bench/run.mjs; figures go in bench/README.md.
//
//   node bench/session-events.mjs [--pushes 200] [--streams 1000] [--heartbeat 1] [--seconds 10]
//
// 1. Push latency across instances: two server processes on one Redis; a tab's stream is open on B, another device
//    of the same user posts "sign out everywhere else" to A; measured from sending that POST to the tab reading
//    `event: session` (p50 / p95 / max over --pushes).
// 2. Cost of open streams on one instance: --streams signed-in tabs each hold a stream; memory per stream (heap and
//    RSS after a forced GC, before and after opening them) and the server's CPU per heartbeat round (CPU over
//    --seconds with the streams open and a heartbeat every --heartbeat s, minus the same time idle).
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureOursBuild, OURS_ENTRY } from './lib/ensure-build.mjs';
import { startRedis } from '../tools/redis-server.mjs';

const { values } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    pushes: { type: 'string', default: '200' },
    streams: { type: 'string', default: '1000' },
    heartbeat: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '10' },
  },
});

/** Server role: the built library on h3 v1, Redis from REDIS_URL. Prints "listening <url>". */
async function serve() {
  const h3 = await import('h3');
  const { createStorage } = await import('unstorage');
  const { default: redisDriver } = await import('unstorage/drivers/redis');
  const session = await import(OURS_ENTRY);
  const store = createStorage({ driver: redisDriver({ url: process.env.REDIS_URL }) });
  const config = { store, secret: 'bench-secret-0123456789-abcdefghijklmnop', cookie: { secure: false } };
  const app = h3.createApp();
  const router = h3.createRouter();
  app.use(session.defineSessionMiddleware(config));
  router.post(
    '/login',
    h3.defineEventHandler(async (event) => {
      const { user } = await h3.readBody(event);
      await session.regenerateSession(event);
      await session.setSessionUser(event, user);
      return { ok: true };
    }),
  );
  router.post(
    '/revoke-others',
    h3.defineEventHandler(async (event) => ({ revoked: await session.revokeUserSessions(event, { reason: 'signed-out-elsewhere' }) })),
  );
  router.get(
    '/events',
    session.defineSessionEventsHandler({ heartbeatInterval: Number(process.env.HEARTBEAT ?? 25), maxStreams: 100_000 }),
  );
  router.get(
    '/stats',
    h3.defineEventHandler(() => {
      globalThis.gc?.();
      const { heapUsed, rss } = process.memoryUsage();
      const { user, system } = process.cpuUsage();
      return { heapUsed, rss, cpuMicros: user + system };
    }),
  );
  app.use(router);
  const server = (await import('node:http')).createServer(h3.toNodeListener(app));
  server.listen(0, '127.0.0.1', () => process.stdout.write(`listening http://127.0.0.1:${server.address().port}\n`));
}

function spawnServer(env) {
  const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--serve'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening (\S+)/.exec(out);
      if (match) resolve({ url: match[1], child });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** One request; resolves with status, the session cookie it set (if any) and the JSON body. */
function send(base, method, path, { cookie, body } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = { ...(cookie ? { cookie } : {}), ...(payload ? { 'content-type': 'application/json' } : {}) };
    const req = request(`${base}${path}`, { method, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        const set = res.headers['set-cookie']?.find((c) => c.startsWith('connect.sid='));
        resolve({ status: res.statusCode, cookie: set?.split(';')[0], json: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Opens a stream; `ready` resolves at `event: ready`, `ended` at the first `event: session`. */
function openStream(base, cookie) {
  let onReady;
  let onEnded;
  const ready = new Promise((resolve) => (onReady = resolve));
  const ended = new Promise((resolve) => (onEnded = resolve));
  const req = request(`${base}/events`, { headers: { cookie, accept: 'text/event-stream' }, agent: false }, (res) => {
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      buffer += chunk;
      if (buffer.includes('event: ready')) onReady();
      if (buffer.includes('event: session')) onEnded(performance.now());
      // Keep only the tail: heartbeats would grow it forever.
      if (buffer.length > 256) buffer = buffer.slice(-64);
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { ready, ended, close: () => req.destroy() };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function inBatches(count, size, task) {
  for (let i = 0; i < count; i += size) await Promise.all(Array.from({ length: Math.min(size, count - i) }, (_, j) => task(i + j)));
}

async function main() {
  const build = ensureOursBuild();
  if (!build.ok) throw new Error(build.note);
  const redis = await startRedis();
  const servers = [];
  try {
    // 1. Push latency across instances.
    const [a, b] = await Promise.all([spawnServer({ REDIS_URL: redis.url }), spawnServer({ REDIS_URL: redis.url })]);
    servers.push(a, b);
    const pushes = Number(values.pushes);
    const latencies = [];
    for (let i = 0; i < pushes; i++) {
      const user = `push-${i}`;
      const phone = (await send(b.url, 'POST', '/login', { body: { user } })).cookie;
      const laptop = (await send(a.url, 'POST', '/login', { body: { user } })).cookie;
      const stream = openStream(b.url, phone);
      await stream.ready;
      const sent = performance.now();
      send(a.url, 'POST', '/revoke-others', { cookie: laptop });
      latencies.push((await stream.ended) - sent);
      stream.close();
    }
    latencies.sort((x, y) => x - y);
    const ms = (v) => `${v.toFixed(1)} ms`;
    const [p50, p95] = [percentile(latencies, 50), percentile(latencies, 95)];
    console.log(`push A -> stream on B (${pushes} pushes): p50 ${ms(p50)}, p95 ${ms(p95)}, max ${ms(latencies.at(-1))}`);

    // 2. Open streams on one instance.
    const heartbeat = Number(values.heartbeat);
    const seconds = Number(values.seconds);
    const count = Number(values.streams);
    const one = await spawnServer({ REDIS_URL: redis.url, HEARTBEAT: String(heartbeat) });
    servers.push(one);
    const cookies = new Array(count);
    await inBatches(count, 50, async (i) => (cookies[i] = (await send(one.url, 'POST', '/login', { body: { user: `tab-${i}` } })).cookie));
    const stats = async () => (await send(one.url, 'GET', '/stats')).json;
    // Opens one stream first, so the Redis subscriber connection is not counted per stream.
    const first = openStream(one.url, cookies[0]);
    await first.ready;
    await pause(500);
    const before = await stats();
    await pause(seconds * 1000);
    const idle = (await stats()).cpuMicros - before.cpuMicros;
    const streams = [first];
    await inBatches(count - 1, 100, async (i) => {
      const stream = openStream(one.url, cookies[i + 1]);
      streams.push(stream);
      await stream.ready;
    });
    await pause(500);
    const open = await stats();
    await pause(seconds * 1000);
    const busy = (await stats()).cpuMicros - open.cpuMicros;
    const perStream = (bytes) => `${(bytes / (count - 1) / 1024).toFixed(1)} KiB`;
    const rss = `${((open.rss - before.rss) / 1048576).toFixed(1)} MiB`;
    console.log(`${count} open streams: heap ${perStream(open.heapUsed - before.heapUsed)} per stream (RSS ${rss} in all, noisy)`);
    const rounds = seconds / heartbeat;
    const perRound = (busy - idle) / rounds;
    const share = (micros) => `${(micros / (seconds * 10_000)).toFixed(2)} %`;
    console.log(
      `heartbeat every ${heartbeat} s: ${(perRound / 1000).toFixed(2)} ms CPU per round ` +
        `(${(perRound / count).toFixed(2)} µs per stream); ` +
        `${share(busy - idle)} of one core (idle server ${share(idle)})`,
    );
    for (const stream of streams) stream.close();
  } finally {
    for (const { child } of servers) child.kill('SIGTERM');
    await redis.stop();
  }
}

if (values.serve) await serve();
else await main();
