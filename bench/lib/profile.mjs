// `node bench/run.mjs --profile <scenario-id>`: runs one scenario's server under `node --cpu-prof`, loads it,
// and prints the functions with the most self time. The .cpuprofile stays in bench/results/profiles/
// (open it in Chrome DevTools or speedscope for the full picture).
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startRedis } from '../../tools/redis-server.mjs';
import { ROOT } from './ensure-build.mjs';
import { load, obtainCookie } from './load.mjs';
import { onExit, startServer, stopServer } from './processes.mjs';

const PROFILE_DIR = join(ROOT, 'bench/results/profiles');

/**
 * Self time per function from a V8 .cpuprofile, largest first.
 * @param {{ nodes: Array<{ id: number, callFrame: { functionName: string, url: string, lineNumber: number } }>, samples: number[], timeDeltas: number[] }} profile
 */
export function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const file = url ? relative(ROOT, url.replace(/^file:\/\//, '')) : '';
    const key = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    totals.set(key, (totals.get(key) ?? 0) + dt);
  });
  return [...totals.entries()].map(([fn, us]) => ({ fn, ms: us / 1000, share: us / all })).sort((a, b) => b.ms - a.ms);
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
  const redis = scenario.store === 'redis' ? await startRedis() : null;
  if (redis) onExit(() => void redis.kill());
  const since = Date.now();
  try {
    const serverConfig = { path: scenario.path, store: scenario.store, redisUrl: redis ? `${redis.url}/${scenario.db}` : undefined };
    const server = await startServer(scenario.server, serverConfig, { label: id, execArgv: ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] });
    const cookies = [];
    if (scenario.path === 'read' || scenario.path === 'write') {
      for (let i = 0; i < settings.connections; i++) cookies.push(await obtainCookie(server.port));
    }
    const urls = [`http://127.0.0.1:${server.port}/`];
    const result = await load({ urls, cookies, connections: settings.connections, durationS: Math.max(5, settings.durationS) });
    console.log(`[bench] ${id} under --cpu-prof: ${Math.round(result.requests.total / result.duration)} req/s (profiling slows it down)`);
    await stopServer(server.child, 10_000);
  } finally {
    await redis?.stop();
  }
  const file = readdirSync(PROFILE_DIR)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(PROFILE_DIR, f))
    .filter((f) => statSync(f).mtimeMs >= since)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!file) throw new Error(`no .cpuprofile written in ${PROFILE_DIR}`);
  console.log(`[bench] profile: ${relative(ROOT, file)}\n\nTop self time:`);
  for (const { fn, ms, share } of selfTimes(JSON.parse(readFileSync(file, 'utf8'))).slice(0, 25)) {
    console.log(`${(share * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${fn}`);
  }
}
