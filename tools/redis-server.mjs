// Starts a throw-away redis-server on a free loopback port for tests and benchmarks.
// Shared by the Vitest suites, the Playwright e2e suite and bench/, so that every one of them talks to a
// real Redis and none assumes one is already running.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Finds a free TCP port on 127.0.0.1 by binding port 0. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server did not listen on port ${port} within ${timeoutMs} ms`);
}

/** Throws a message that names the fix when redis-server is not installed. */
export function assertRedisInstalled() {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('redis-server is not installed. Run `npm test` (it installs it) or `apt-get install -y redis-server`.');
  }
}

/**
 * The redis-server arguments every throw-away server here shares: loopback, a private folder, no RDB snapshots,
 * quiet logs. Callers add persistence (and cluster) settings.
 * @param {string} host
 * @param {number} port
 * @param {string} dir
 * @returns {string[]}
 */
export function throwawayServerArgs(host, port, dir) {
  return ['--bind', host, '--port', String(port), '--dir', dir, '--save', '', '--protected-mode', 'no', '--loglevel', 'warning'];
}

/** How many free ports startRedis() tries when redis-server exits before it listens. */
const START_ATTEMPTS = 3;

/**
 * Starts redis-server as a child process.
 * @param {{ port?: number, persistence?: boolean, dir?: string, databases?: number }} [options]
 *   persistence: append-only file with fsync always, so a restarted server keeps every acknowledged write.
 *   databases: how many numbered databases it has (@default 16, Redis's own default).
 * @returns {Promise<{ port: number, url: string, dir: string,
 *   stop: () => Promise<void>, start: () => Promise<void>, kill: () => Promise<void> }>}
 *   stop() shuts down and removes the data folder; kill() ends the process but keeps the data so start() can bring it back.
 */
export async function startRedis(options = {}) {
  assertRedisInstalled();
  let port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'redis-test-'));
  let child;

  async function start() {
    const args = throwawayServerArgs('127.0.0.1', port, dir);
    args.push(...(options.persistence ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
    if (options.databases) args.push('--databases', String(options.databases));
    child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    await waitForPort(port, child, 10_000);
  }

  async function kill() {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async function stop() {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  }

  // A port found free can be taken before redis-server binds it (the test run's own connections draw from the same
  // ephemeral range): such a server exits at once, and starts again on another free port (not a port the caller gave).
  for (let attempt = 1; ; attempt++) {
    try {
      await start();
      break;
    } catch (error) {
      if (options.port !== undefined || child.exitCode === null || attempt === START_ATTEMPTS) {
        await stop();
        throw error;
      }
      port = await freePort();
    }
  }
  return { port, url: `redis://127.0.0.1:${port}`, dir, start, stop, kill };
}
