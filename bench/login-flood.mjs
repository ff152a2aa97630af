// Signed-in latency during a login flood, and memory under a huge login body, against the BUILT demo server
// (dist/demo/server/index.mjs, `npm run build` first). Not part of `npm run bench`: the demo's hardening figures.
//
//   node bench/login-flood.mjs [--seconds 8] [--flooders 32] [--readers 4] [--body-mb 300] [--server <index.mjs>]
//
// Each flood request comes from its own loopback address (127.1.x.y) with its own unknown username, as a botnet
// spraying names would: per-IP and per-username limits never trigger, so what is measured is the bound on
// concurrent password hashing. Meanwhile `--readers` signed-in clients GET /api/account back to back.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    flooders: { type: 'string', default: '32' },
    readers: { type: 'string', default: '4' },
    'body-mb': { type: 'string', default: '300' },
    server: { type: 'string', default: join(root, 'dist/demo/server/index.mjs') },
  },
});
const seconds = Number(values.seconds);
const flooders = Number(values.flooders);
const readers = Number(values.readers);
const bodyMb = Number(values['body-mb']);

function freePort() {
  return new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/** One HTTP request; resolves with status, headers and elapsed ms. `body` may be a function writing chunks. */
function send(base, method, path, { headers = {}, body, localAddress } = {}) {
  return new Promise((done, fail) => {
    const started = performance.now();
    const req = request(`${base}${path}`, { method, headers, localAddress, agent: false }, (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode, headers: res.headers, ms: performance.now() - started }));
    });
    req.on('error', fail);
    if (typeof body === 'function') body(req);
    else req.end(body);
  });
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)[1]);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

async function readLoop(base, cookie, until, latencies, statuses) {
  while (performance.now() < until) {
    const { status, ms } = await send(base, 'GET', '/api/account', { headers: { cookie } });
    latencies.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
}

async function measureReads(base, cookie, ms) {
  const latencies = [];
  const statuses = {};
  const until = performance.now() + ms;
  await Promise.all(Array.from({ length: readers }, () => readLoop(base, cookie, until, latencies, statuses)));
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses };
}

async function flood(base, until, statuses) {
  let n = 0;
  const worker = async (index) => {
    while (performance.now() < until) {
      n += 1;
      const localAddress = `127.1.${(n >> 8) & 255}.${n & 255 || 1}`;
      const body = JSON.stringify({ username: `spray-${index}-${n}`, password: 'wrong-password' });
      const headers = { origin: base, 'content-type': 'application/json' };
      const { status } = await send(base, 'POST', '/api/auth/login', { headers, body, localAddress }).catch(() => ({ status: 'error' }));
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: flooders }, (_, index) => worker(index)));
}

async function hugeBody(base, pid) {
  const before = rssMb(pid);
  const chunk = Buffer.alloc(1024 * 1024, 'a');
  let written = 0;
  let early;
  const { status, ms } = await send(base, 'POST', '/api/auth/login', {
    headers: { origin: base, 'content-type': 'application/json' },
    body: (req) => {
      req.write('{"username":"ada","password":"');
      const pump = () => {
        while (written < bodyMb) {
          written += 1;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end('"}');
      };
      const started = performance.now();
      req.on('response', (res) => {
        early = { status: res.statusCode, ms: performance.now() - started, sentMb: written };
        written = bodyMb + 1;
      });
      pump();
    },
  }).catch((error) => early ?? { status: `error (${error.code})`, ms: NaN });
  if (early) written = early.sentMb;
  await new Promise((done) => setTimeout(done, 500));
  return { status, ms: Math.round(ms), before, after: rssMb(pid), sentMb: Math.min(written, bodyMb) };
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'login-flood-'));
const server = spawn(process.execPath, [resolve(values.server)], {
  cwd: root,
  env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', SESSION_DATA_DIR: dataDir, REDIS_URL: '' },
  stdio: 'ignore',
});
try {
  for (let tries = 0; ; tries += 1) {
    try {
      await send(base, 'GET', '/api/session');
      break;
    } catch (error) {
      if (tries > 200) throw error;
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  const login = await send(base, 'POST', '/api/auth/login', {
    headers: { origin: base, 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'ada', password: 'lovelace-demo' }),
  });
  const cookie = String(login.headers['set-cookie']).split(';')[0];

  const quiet = await measureReads(base, cookie, 3000);
  const floodStatuses = {};
  const floodDone = flood(base, performance.now() + seconds * 1000, floodStatuses);
  await new Promise((done) => setTimeout(done, 500));
  const flooded = await measureReads(base, cookie, seconds * 1000 - 1000);
  await floodDone;
  const body = await hugeBody(base, server.pid);

  const row = (name, r) =>
    `${name.padEnd(22)} n=${String(r.count).padEnd(5)} p50=${r.p50.toFixed(1)} ms  p99=${r.p99.toFixed(1)} ms  ` +
    JSON.stringify(r.statuses);
  console.log(`signed-in GET /api/account, ${readers} clients back to back`);
  console.log(row('no flood', quiet));
  console.log(row(`${flooders} bad logins at once`, flooded));
  console.log(`flood answers: ${JSON.stringify(floodStatuses)}`);
  console.log(
    `${bodyMb} MB login body: status ${body.status} after ${body.ms} ms, ~${body.sentMb} MB sent, ` +
      `server RSS ${body.before.rss} -> ${body.after.rss} MB (peak ${body.after.peak} MB)`,
  );
} finally {
  server.kill('SIGTERM');
  await new Promise((done) => server.once('exit', done));
  rmSync(dataDir, { recursive: true, force: true });
}
