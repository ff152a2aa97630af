// Starts a throw-away Redis Cluster on free loopback ports for tests and benchmarks: N masters, optionally
// with replicas, each node a redis-server child with its own temporary folder. Every node is stopped when the
// returned stop() runs, and, as a last resort, when the process that started them exits. Per suite:
//   beforeAll(async () => { cluster = await startRedisCluster(); });  afterAll(() => cluster.stop());
// Once for a whole run, from a Vitest `globalSetup` file:
//   export async function setup(project) { cluster = await startRedisCluster(); project.provide('redisCluster', cluster.nodes); }
//   export function teardown() { return cluster.stop(); }
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/** How many times a cluster is started on new ports when one of its nodes exits before it listens. */
const START_ATTEMPTS = 3;

/** `count` free ports, each with its cluster bus port (port + 10000) free too. */
async function clusterPorts(count) {
  const ports = [];
  while (ports.length < count) {
    const port = await freePort();
    if (port + 10000 < 65536 && !ports.includes(port) && (await isFree(port + 10000))) ports.push(port);
  }
  return ports;
}

/**
 * Waits until every node answers PING. Answers null then, or, if a node exited first, what it said: its exit code and
 * the last lines of its log.
 */
async function everyNodeListening(ports, children, logs) {
  let exited = null;
  await waitUntil('every node listening', 10_000, async () => {
    for (const port of ports) {
      const { exitCode } = children.get(port);
      if (exitCode !== null) {
        exited = `redis-server on port ${port} exited with code ${exitCode}: ${logTail(logs.get(port))}`;
        return true;
      }
      if ((await redisCli(port, 'ping')).trim() !== 'PONG') return false;
    }
    return true;
  });
  return exited;
}

/** The last lines of a node's log, on one line. */
function logTail(file) {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ') || '(empty log)';
  } catch {
    return '(no log)';
  }
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
  let ports = [];
  const children = new Map();
  const dirs = [];
  /** Each node's log file: redis-server says there why it exited (e.g. a port taken since it was found free). */
  const logs = new Map();

  const startNode = (port) => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
    dirs.push(dir);
    logs.set(port, join(dir, 'redis.log'));
    const args = [
      ...throwawayServerArgs(HOST, port, dir),
      '--logfile',
      logs.get(port),
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
    // A port found free can be taken before redis-server binds it (or its bus port): the test run's own connections
    // draw from the same ephemeral range. Such a node exits at once; the cluster then starts again on other ports.
    for (let attempt = 1; ; attempt++) {
      ports = await clusterPorts(count);
      for (const port of ports) startNode(port);
      const exited = await everyNodeListening(ports, children, logs);
      if (!exited) break;
      await Promise.all(ports.map(stopNode));
      if (attempt === START_ATTEMPTS) throw new Error(`${exited} (${START_ATTEMPTS} attempts, each on new ports)`);
    }
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
