// Shared start-up for every bench server: reads the scenario from BENCH_SERVER (JSON), listens on a free
// loopback port and tells the harness which one over the fork() IPC channel.
import { createServer } from 'node:http';

/**
 * @typedef {{ path: 'read' | 'write' | 'write-shared' | 'anon' | 'none',
 *   store: 'memory' | 'redis' | 'redis-cluster' | 'none', redisUrl?: string, redisCluster?: number[] }} ServerConfig
 */

/** The scenario this process serves, as passed by bench/run.mjs. */
export const config = /** @type {ServerConfig} */ (JSON.parse(process.env.BENCH_SERVER ?? '{}'));

/** Long enough for the secret checks of every library (ours and h3 want >= 32 characters). */
export const SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';

/** One day, the session lifetime every library is given (seconds). */
export const MAX_AGE = 86_400;

/**
 * Listens on 127.0.0.1 with a Node request listener, then reports the port to the parent.
 * @param {import('node:http').RequestListener} listener
 */
export function listen(listener) {
  // Requests seen, counted on arrival, so the harness can divide Redis commands by requests the server really
  // handled (autocannon does not count the ones still in flight when it stops).
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    listener(req, res);
  });
  process.on('message', (msg) => {
    if (msg?.type === 'count') process.send?.({ type: 'count', id: msg.id, requests });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ ready: true, port: server.address().port });
  });
  // SIGTERM ends the process cleanly, so a --cpu-prof run writes its profile.
  process.on('SIGTERM', () => {
    server.closeAllConnections?.();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 500).unref();
  });
  process.on('disconnect', () => process.exit(0));
  return server;
}
