// Starts bench servers as child processes, each in its own process group, and makes sure every one of them
// is gone when the harness ends, whether it ends normally, on an error or on a signal.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVERS_DIR = fileURLToPath(new URL('../servers/', import.meta.url));
const START_TIMEOUT_MS = 20_000;

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();

/** @type {Array<() => void>} synchronous last-resort cleanups, e.g. killing Redis */
const exitHooks = [];

function killGroup(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the whole group: the server and anything it spawned
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

process.on('exit', () => {
  for (const child of children) killGroup(child, 'SIGKILL');
  for (const hook of exitHooks) hook();
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\n[bench] ${signal}: stopping servers`);
    process.exit(130);
  });
}

/** Registers a synchronous cleanup that runs when the harness process exits for any reason. */
export function onExit(hook) {
  exitHooks.push(hook);
}

/**
 * Forks bench/servers/<file> with the scenario in BENCH_SERVER and waits until it listens.
 * @param {string} file
 * @param {object} serverConfig  passed to the server as JSON
 * @param {{ execArgv?: string[], label?: string }} [options]
 * @returns {Promise<{ port: number, ports?: Record<string, number>, child: import('node:child_process').ChildProcess,
 *   exited: () => boolean, requestCount: (scenario?: string) => Promise<number>,
 *   gcStats: () => Promise<ReturnType<typeof import('../servers/gc-meter.mjs').gcStats>> }>}  `ports` and the scenario
 *   argument for one-process.mjs, which serves several scenarios
 */
export function startServer(file, serverConfig, options = {}) {
  const child = fork(SERVERS_DIR + file, [], {
    detached: true,
    execArgv: options.execArgv ?? [],
    env: { ...process.env, NODE_ENV: 'production', BENCH_SERVER: JSON.stringify(serverConfig) },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (stderr.length > 4000) stderr = stderr.slice(-4000);
    process.stderr.write(`[${options.label ?? file}] ${chunk}`);
  });
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`${file} did not start within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    // 'close' rather than 'exit': it comes after stderr is drained, so the message has the child's error.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited during start-up (code ${code}, signal ${signal}): ${stderr.trim().slice(-800)}`));
    });
    child.on('message', (msg) => {
      if (!msg?.ready) return;
      clearTimeout(timer);
      resolve({
        port: msg.port,
        ports: msg.ports,
        child,
        exited: () => child.exitCode !== null || child.signalCode !== null,
        requestCount: (scenario) => ask(child, scenario).then((msg) => msg.requests),
        gcStats: () => ask(child).then((msg) => msg.gc),
      });
    });
  });
}

let nextId = 0;

/** Asks a server how many requests it has seen so far (in one-process.mjs, those of one scenario) and its GC totals. */
function ask(child, scenario) {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error('the server did not answer a request-count query within 5 s'));
    }, 5000);
    function onMessage(msg) {
      if (msg?.type !== 'count' || msg.id !== id) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(msg);
    }
    child.on('message', onMessage);
    child.send({ type: 'count', id, scenario });
  });
}

/**
 * Stops one server: SIGTERM to its group, SIGKILL after a grace period.
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} [graceMs]
 */
export async function stopServer(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Stops every server still running. */
export async function stopAllServers() {
  await Promise.all([...children].map((child) => stopServer(child)));
}
