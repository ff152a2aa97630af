// Shared start-up for every bench server. Each server file exports `start(config)`, which builds its app and
// listens on a free loopback port; run as a child process by itself, the file reads its scenario from
// BENCH_SERVER (JSON) and tells the harness the port over the fork() IPC channel (`standalone()` below).
// `one-process.mjs` instead starts several of them inside one process (`bench/run.mjs --one-process`).
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { serve } from 'srvx/node';
import { gcStats } from './gc-meter.mjs';

/**
 * @typedef {{ path: 'read' | 'write' | 'write-shared' | 'anon' | 'none' | 'middleware',
 *   store: 'memory' | 'redis' | 'redis-cluster' | 'postgres' | 'sqlite' | 'mariadb' | 'none', redisUrl?: string,
 *   redisCluster?: number[], entry?: string }} ServerConfig
 */
/** @typedef {{ port: number, requests: () => number, close: () => Promise<void> }} Listening */

/** Long enough for the secret checks of every library (ours and h3 want >= 32 characters). */
export const SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';

/** One day, the session lifetime every library is given (seconds). */
export const MAX_AGE = 86_400;

/** The same keep-alive for every server, longer than any pause between two rounds. */
const KEEP_ALIVE_MS = 65_000;

/**
 * Listens on 127.0.0.1 with a Node request listener (h3 v1's `toNodeListener`, express).
 * Requests are counted on arrival, so the harness can divide Redis commands by requests the server really
 * handled (autocannon does not count the ones still in flight when it stops).
 * @param {import('node:http').RequestListener} listener
 * @returns {Promise<Listening>}
 */
export function listen(listener) {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    listener(req, res);
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: server.address().port,
        requests: () => requests,
        close: () => new Promise((done) => (server.closeAllConnections?.(), server.close(() => done()))),
      }),
    );
  });
}

/**
 * Serves a web fetch handler (h3 v2's `app.fetch`) through srvx's Node adapter, as h3 v2's own `serve()` does
 * and as Nitro 3's Node preset runs it: srvx's Node request and response wrappers over node:http.
 * @param {(request: Request) => Response | Promise<Response>} fetch
 * @returns {Promise<Listening>}
 */
export async function listenFetch(fetch) {
  let requests = 0;
  const server = serve({
    hostname: '127.0.0.1',
    port: 0,
    silent: true,
    gracefulShutdown: false, // the harness stops servers (standalone() below)
    fetch: (request) => {
      requests++;
      return fetch(request);
    },
  });
  await server.ready();
  const node = server.node.server;
  node.keepAliveTimeout = KEEP_ALIVE_MS;
  return { port: node.address().port, requests: () => requests, close: () => server.close(true) };
}

/**
 * Runs `start` with the scenario in BENCH_SERVER when `moduleUrl` is the process's entry file, reports the port
 * to the parent, answers its request-count queries (with the process's GC totals) and ends cleanly on SIGTERM (so a --cpu-prof run writes
 * its profile). Does nothing when the file is imported by one-process.mjs, whose `start` gives a Map of
 * servers by scenario id: then the parent gets every port and asks for counts by id.
 * @param {string} moduleUrl  the server file's import.meta.url
 * @param {(config: any) => Promise<Listening | Map<string, Listening>>} start
 */
export async function standalone(moduleUrl, start) {
  if (process.argv[1] !== fileURLToPath(moduleUrl)) return;
  const started = await start(JSON.parse(process.env.BENCH_SERVER ?? '{}'));
  const servers = started instanceof Map ? started : new Map([[undefined, started]]);
  process.on('message', (msg) => {
    if (msg?.type !== 'count') return;
    process.send?.({ type: 'count', id: msg.id, requests: servers.get(msg.scenario)?.requests() ?? null, gc: gcStats() });
  });
  process.on('SIGTERM', () => {
    Promise.all([...servers.values()].map((s) => s.close())).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 500).unref();
  });
  process.on('disconnect', () => process.exit(0));
  const ports = Object.fromEntries([...servers].map(([id, s]) => [id, s.port]));
  process.send?.(started instanceof Map ? { ready: true, ports } : { ready: true, port: started.port });
}
