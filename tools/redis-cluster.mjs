// Starts a throw-away Redis Cluster on free loopback ports for tests and benchmarks: N masters, optionally
// with replicas, each node a redis-server child with its own temporary folder. Every node is stopped when the
// returned stop() runs, and, as a last resort, when the process that started them exits. Per suite:
//   beforeAll(async () => { cluster = await startRedisCluster(); });  afterAll(() => cluster.stop());
// Once for a whole run, from a Vitest `globalSetup` file:
//   export async function setup(project) { cluster = await startRedisCluster(); project.provide('redisCluster', cluster.nodes); }
//   export function teardown() { return cluster.stop(); }
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { assertRedisInstalled, freePort, throwawayServerArgs } from './redis-server.mjs';

const run = promisify(execFile);
const HOST = '127.0.0.1';

/** Children still running, killed synchronously if the process exits without stopping them. */
const running = new Set();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

function isFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** Sends one command through redis-cli and returns its raw reply. */
export async function redisCli(port, ...args) {
  const { stdout } = await run('redis-cli', ['-h', HOST, '-p', String(port), ...args], { timeout: 10_000 });
  return stdout;
}

async function waitUntil(what, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis cluster: ${what} not reached within ${timeoutMs} ms${last ? ` (${last.message})` : ''}`);
}

/** Parses CLUSTER NODES into `{ id, port, role, masterId, slots, failed }` rows. */
export function parseClusterNodes(text) {
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id, address, flags, masterId, , , , link, ...slots] = line.split(' ');
      return {
        id,
        port: Number(address.split('@')[0].split(':').pop()),
        role: flags.includes('master') ? 'master' : 'replica',
        masterId: masterId === '-' ? null : masterId,
        failed: flags.includes('fail') || link === 'disconnected',
        slots,
      };
    });
}

/**
 * Starts a cluster and waits until every node reports `cluster_state:ok` (and every replica is in sync).
 * @param {{ masters?: number, replicas?: number, nodeTimeoutMs?: number, args?: string[] }} [options]
 *   masters: at least 3 (Redis' minimum). replicas: per master. nodeTimeoutMs: `cluster-node-timeout`, the time
 *   before a silent master is declared failed and its replica promoted. args: extra redis-server arguments.
 * @returns {Promise<{ nodes: { host: string, port: number }[], ports: number[],
 *   topology: () => Promise<ReturnType<typeof parseClusterNodes>>,
 *   kill: (port: number) => Promise<void>, waitForState: (timeoutMs?: number) => Promise<void>, stop: () => Promise<void> }>}
 *   nodes: the seed list for ioredis' `Cluster` (or unstorage's `redisDriver({ cluster })`).
 *   kill(port): SIGKILL one node, as a crash would. stop(): ends every node and removes their folders.
 */
export async function startRedisCluster(options = {}) {
  assertRedisInstalled();
  installExitHook();
  const masters = options.masters ?? 3;
  const replicas = options.replicas ?? 0;
  if (masters < 3) throw new Error('startRedisCluster(): Redis Cluster needs at least 3 masters.');
  const count = masters * (1 + replicas);
  const ports = [];
  while (ports.length < count) {
    const port = await freePort();
    // The cluster bus listens on port + 10000: both must be free.
    if (port + 10000 < 65536 && !ports.includes(port) && (await isFree(port + 10000))) ports.push(port);
  }
  const children = new Map();
  const dirs = [];

  const startNode = (port) => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
    dirs.push(dir);
    const args = [
      ...throwawayServerArgs(HOST, port, dir),
      '--appendonly',
      'no',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(dir, 'nodes.conf'),
      '--cluster-node-timeout',
      String(options.nodeTimeoutMs ?? 5000),
      '--enable-debug-command',
      'local',
      ...(options.args ?? []),
    ];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    children.set(port, child);
  };

  async function stopNode(port) {
    const child = children.get(port);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  async function stop() {
    await Promise.all(ports.map(stopNode));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }

  async function kill(port) {
    const child = children.get(port);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  const alive = () => ports.filter((port) => children.get(port)?.exitCode === null && children.get(port)?.signalCode === null);
  const topology = async () => parseClusterNodes(await redisCli(alive()[0], 'cluster', 'nodes'));

  /** Waits until every live node sees the cluster as ok and every slot served by a live master. */
  async function waitForState(timeoutMs = 20_000) {
    await waitUntil('cluster_state:ok on every node', timeoutMs, async () => {
      for (const port of alive()) {
        if (!(await redisCli(port, 'cluster', 'info')).includes('cluster_state:ok')) return false;
      }
      return true;
    });
  }

  try {
    for (const port of ports) startNode(port);
    await waitUntil('every node listening', 10_000, async () => {
      for (const port of ports) {
        if (children.get(port).exitCode !== null)
          throw new Error(`redis-server on port ${port} exited with code ${children.get(port).exitCode}`);
        if ((await redisCli(port, 'ping')).trim() !== 'PONG') return false;
      }
      return true;
    });
    await run(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((port) => `${HOST}:${port}`), '--cluster-replicas', String(replicas), '--cluster-yes'],
      {
        timeout: 30_000,
      },
    );
    await waitForState();
    if (replicas > 0) {
      await waitUntil('every replica in sync', 20_000, async () => {
        for (const node of await topology()) {
          if (node.role === 'replica' && !(await redisCli(node.port, 'info', 'replication')).includes('master_link_status:up'))
            return false;
        }
        return true;
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return { nodes: ports.map((port) => ({ host: HOST, port })), ports, topology, kill, waitForState, stop };
}
