// `node bench/run.mjs --profile <scenario-id>`: runs one scenario's server under `node --cpu-prof`, loads it,
// and prints the functions with the most self time. The .cpuprofile stays in bench/results/profiles/
// (open it in Chrome DevTools or speedscope for the full picture).
import { startPostgres } from '../../tools/postgres-server.mjs';
import { startMariadb } from '../../tools/mariadb-server.mjs';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startRedis } from '../../tools/redis-server.mjs';
import { ROOT } from './ensure-build.mjs';
import { ceilingCookie, load, obtainCookie } from './load.mjs';
import { onExit, startServer, stopServer } from './processes.mjs';
import { REDIS_DATABASES } from './scenarios.mjs';

const PROFILE_DIR = join(ROOT, 'bench/results/profiles');

function frameKey(callFrame) {
  const { functionName, url, lineNumber } = callFrame;
  const file = url ? relative(ROOT, url.replace(/^file:\/\//, '')) : '';
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

function fileGroup(callFrame) {
  const url = callFrame.url.replace(/^file:\/\//, '');
  if (!url) return callFrame.functionName.startsWith('(') ? callFrame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const path = relative(ROOT, url);
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return pkg ? pkg[1] : path;
}

/**
 * Self time per function, self time per file or package, and inclusive time of the functions of `focus`
 * (a path prefix such as `dist/session`), each largest first, from a V8 .cpuprofile.
 * @param {{
 *   nodes: Array<{ id: number, parent?: number, children?: number[],
 *     callFrame: { functionName: string, url: string, lineNumber: number } }>,
 *   samples: number[], timeDeltas: number[] }} profile
 * @param {string} focus
 */
export function summarizeProfile(profile, focus) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) byId.get(c).parent = n.id;
  const self = new Map();
  const files = new Map();
  const inclusive = new Map();
  let all = 0;
  const add = (map, key, dt) => map.set(key, (map.get(key) ?? 0) + dt);
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    const node = byId.get(id);
    add(self, frameKey(node.callFrame), dt);
    add(files, fileGroup(node.callFrame), dt);
    const seen = new Set();
    for (let n = node; n; n = n.parent ? byId.get(n.parent) : undefined) {
      const key = frameKey(n.callFrame);
      if (key.includes(focus) && !seen.has(key)) {
        seen.add(key);
        add(inclusive, key, dt);
      }
    }
  });
  const sorted = (map) => [...map.entries()].map(([name, us]) => ({ name, ms: us / 1000, share: us / all })).sort((a, b) => b.ms - a.ms);
  return { self: sorted(self), files: sorted(files), inclusive: sorted(inclusive) };
}

/**
 * @param {string} id  scenario id, e.g. `ours-memory-read`
 * @param {import('./scenarios.mjs').Scenario[]} scenarios
 * @param {{ durationS: number, connections: number }} settings
 */
export async function profileScenario(id, scenarios, settings) {
  const scenario = scenarios.find((s) => s.id === id);
  if (!scenario) throw new Error(`unknown scenario ${id}; one of: ${scenarios.map((s) => s.id).join(', ')}`);
  mkdirSync(PROFILE_DIR, { recursive: true });
  const redis = scenario.store === 'redis' ? await startRedis({ databases: REDIS_DATABASES }) : null;
  if (redis) onExit(() => void redis.kill());
  const postgres = scenario.store === 'postgres' ? await startPostgres() : null;
  if (postgres) {
    onExit(() => void postgres.kill());
    process.env['BENCH_POSTGRES_URL'] = postgres.url;
  }
  const mariadb = scenario.store === 'mariadb' ? await startMariadb() : null;
  if (mariadb) {
    onExit(() => void mariadb.kill());
    process.env['BENCH_MARIADB_URL'] = mariadb.url;
  }
  const since = Date.now();
  let served = 0;
  try {
    const serverConfig = { path: scenario.path, store: scenario.store, redisUrl: redis ? `${redis.url}/${scenario.db}` : undefined };
    const server = await startServer(scenario.server, serverConfig, { label: id, execArgv: ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] });
    const cookies = [];
    if (scenario.path === 'none' || scenario.path === 'middleware') {
      for (let i = 0; i < settings.connections; i++) cookies.push(ceilingCookie());
    } else if (scenario.path !== 'anon') {
      const sessions = scenario.path === 'write-shared' ? 1 : settings.connections;
      for (let i = 0; i < sessions; i++) cookies.push(await obtainCookie(server.port));
    }
    const urls = [`http://127.0.0.1:${server.port}/`];
    const result = await load({ urls, cookies, connections: settings.connections, durationS: Math.max(5, settings.durationS) });
    served = await server.requestCount();
    console.log(`[bench] ${id} under --cpu-prof: ${Math.round(result.requests.total / result.duration)} req/s (profiling slows it down)`);
    await stopServer(server.child, 10_000);
  } finally {
    await redis?.stop();
    await postgres?.stop();
    await mariadb?.stop();
  }
  const file = readdirSync(PROFILE_DIR)
    // The main thread's (thread id 0): a server with a module loader hook (h3v2 aliasing) also writes its worker's.
    .filter((f) => /\.0\.\d+\.cpuprofile$/.test(f))
    .map((f) => join(PROFILE_DIR, f))
    .filter((f) => statSync(f).mtimeMs >= since)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!file) throw new Error(`no .cpuprofile written in ${PROFILE_DIR}`);
  console.log(`[bench] profile: ${relative(ROOT, file)}`);
  const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), 'dist/session');
  const print = (title, list, n) => {
    console.log(`\n${title}`);
    for (const { name, ms, share } of list.slice(0, n))
      console.log(`${(share * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${name}`);
  };
  const busyMs = summary.files.filter((f) => f.name !== '(idle)').reduce((acc, f) => acc + f.ms, 0);
  console.log(`busy (non-idle) CPU per request: ${((busyMs * 1000) / served).toFixed(1)} µs over ${served} requests`);
  print('Top self time by function:', summary.self, 25);
  print('Self time by file or package:', summary.files, 12);
  print('Inclusive time of our functions (dist/session):', summary.inclusive, 15);
}
