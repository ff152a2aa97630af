// `npm run bench`: load-tests ours and its peers from this process (autocannon) against servers in child
// processes and a real Redis, in interleaved rounds, then writes bench/results/latest.{json,md}.
//
//   node bench/run.mjs                 full run (3 rounds of 3 s after a 1 s warm-up, every scenario)
//   node bench/run.mjs --quick         smoke test of the harness (1 round of 1 s, no results written)
//   options: --rounds N --duration S --warmup S --connections N --only REGEX --no-build --no-write
//            --profile SCENARIO_ID     CPU profile of one scenario's server instead of a run (see profile.mjs)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startRedis } from '../tools/redis-server.mjs';
import { cpuMs } from './lib/cpu.mjs';
import { ensureOursBuild, OURS_ENTRY, ROOT } from './lib/ensure-build.mjs';
import { machineInfo, packageVersions } from './lib/environment.mjs';
import { onExit, startServer, stopAllServers } from './lib/processes.mjs';
import { profileScenario } from './lib/profile.mjs';
import { connectStats, perRequest } from './lib/redis-stats.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { allScenarios, selectScenarios } from './lib/scenarios.mjs';
import { median, rotate, sum } from './lib/stats.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    only: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});

const settings = {
  rounds: Number(args.rounds ?? (args.quick ? 1 : 3)),
  durationS: Number(args.duration ?? (args.quick ? 1 : 3)), // autocannon stops on whole-second ticks
  warmupS: Number(args.warmup ?? 1),
  connections: Number(args.connections ?? 32),
  pipelining: 1,
};
/** More than this share of failed or non-2xx responses and a scenario counts as failed. */
const MAX_BAD_SHARE = 0.01;
const RESULTS_DIR = join(ROOT, 'bench/results');

/** Opens one session through /setup and returns the cookie header that carries it. */
async function obtainCookie(port) {
  const res = await fetch(`http://127.0.0.1:${port}/setup`, { signal: AbortSignal.timeout(10_000) });
  await res.text();
  if (res.status !== 200) throw new Error(`/setup answered ${res.status}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  if (cookies.length === 0) throw new Error('/setup set no cookie');
  return cookies.join('; ');
}

/** One request as the load will send it: status, whether it sets a cookie, and the body. */
async function probe(port, cookie) {
  const res = await fetch(`http://127.0.0.1:${port}/`, { headers: cookie ? { cookie } : {}, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text.slice(0, 200);
  }
  return { status: res.status, setsCookie: res.headers.getSetCookie().length > 0, body };
}

/** Checks that a scenario's server sees the session the way the scenario means it. */
function checkProbe(scenario, result) {
  if (result.status !== 200) return `probe answered ${result.status}: ${JSON.stringify(result.body)}`;
  const n = result.body?.n;
  if (scenario.path === 'read' || scenario.path === 'write') {
    if (typeof n !== 'number') return `the setup cookie was not honoured (body ${JSON.stringify(result.body)})`;
  }
  if (scenario.path === 'anon' && n !== null) return `anonymous request saw session data ${JSON.stringify(result.body)}`;
  return null;
}

/**
 * Runs autocannon against `urls` (connections spread over them). With `latencies`, every response time is
 * also collected here in fractional ms: autocannon's own histogram has a 1 ms resolution, too coarse for p50.
 */
function load(urls, cookie, durationS, latencies) {
  const instance = autocannon({
    url: urls.length === 1 ? urls[0] : urls,
    connections: settings.connections,
    pipelining: settings.pipelining,
    duration: durationS,
    headers: cookie ? { cookie } : {},
  });
  if (latencies) instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  return instance;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function prepare(scenario, redisUrl) {
  const serverConfig = { path: scenario.path, store: scenario.store, redisUrl: scenario.db ? `${redisUrl}/${scenario.db}` : undefined };
  const state = { scenario, servers: [], urls: [], cookie: undefined, probes: [], rounds: [], error: null };
  try {
    for (let i = 0; i < scenario.procs; i++) {
      const server = await startServer(scenario.server, serverConfig, { label: `${scenario.id}#${i}` });
      state.servers.push(server);
      state.urls.push(`http://127.0.0.1:${server.port}/`);
    }
    if (scenario.path === 'read' || scenario.path === 'write') state.cookie = await obtainCookie(state.servers[0].port);
    for (const server of state.servers) {
      const result = await probe(server.port, state.cookie);
      state.probes.push(result);
      const problem = checkProbe(scenario, result);
      if (problem) throw new Error(problem);
    }
  } catch (error) {
    state.error = String(error?.message ?? error);
  }
  return state;
}

async function measureRound(state, round, stats) {
  const { scenario } = state;
  if (state.servers.some((s) => s.exited())) throw new Error('a server process exited');
  await load(state.urls, state.cookie, settings.warmupS);
  const countRequests = async () => sum(await Promise.all(state.servers.map((s) => s.requestCount())));
  // Requests cut off when autocannon stops still reach the store: let them finish before reading counters.
  await settle();
  if (stats && scenario.store === 'redis') await stats.reset();
  const served = await countRequests();
  const latencies = [];
  const pids = state.servers.map((s) => s.child.pid);
  const cpuBefore = pids.map(cpuMs);
  const clientBefore = process.cpuUsage();
  const r = await load(state.urls, state.cookie, settings.durationS, latencies);
  const client = process.cpuUsage(clientBefore);
  await settle();
  const serverCpuMs = sum(pids.map((pid, i) => (cpuMs(pid) ?? NaN) - (cpuBefore[i] ?? NaN)));
  const calls = stats && scenario.store === 'redis' ? await stats.read() : null;
  const serverRequests = (await countRequests()) - served;
  const requests = r.requests.total;
  latencies.sort((a, b) => a - b);
  const row = {
    round,
    requests,
    durationS: r.duration,
    rps: requests / r.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    serverRequests,
    serverCpuUsPerRequest: Number.isFinite(serverCpuMs) && serverRequests ? (serverCpuMs * 1000) / serverRequests : null,
    serverCpuShare: Number.isFinite(serverCpuMs) ? serverCpuMs / (r.duration * 1000) : null,
    loadGeneratorCpuShare: (client.user + client.system) / 1000 / (r.duration * 1000),
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    redis: calls ? { calls, ...perRequest(calls, serverRequests) } : null,
  };
  if (requests === 0) throw new Error('no request completed');
  return row;
}

function summarize(state, bareRps) {
  const { scenario, rounds } = state;
  const rps = median(rounds.map((r) => r.rps));
  const requests = sum(rounds.map((r) => r.requests));
  const bad = sum(rounds.map((r) => r.errors + r.timeouts + r.non2xx));
  let error = state.error;
  if (!error && rounds.length < settings.rounds) error = `only ${rounds.length} of ${settings.rounds} rounds completed`;
  if (!error && bad > requests * MAX_BAD_SHARE) error = `${bad} of ${requests} responses failed or were not 2xx`;
  const redis = rounds[0]?.redis
    ? {
        readsPerRequest: median(rounds.map((r) => r.redis.reads)),
        writesPerRequest: median(rounds.map((r) => r.redis.writes)),
        otherPerRequest: median(rounds.map((r) => r.redis.other)),
        commandsPerRequest: Object.fromEntries(
          [...new Set(rounds.flatMap((r) => Object.keys(r.redis.commands)))].sort().map((c) => [c, median(rounds.map((r) => r.redis.commands[c] ?? 0))]),
        ),
      }
    : null;
  return {
    ...scenario,
    ok: !error,
    error,
    rps,
    ratioToBare: rps && bareRps ? rps / bareRps : null,
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    serverCpuUsPerRequest: median(rounds.map((r) => r.serverCpuUsPerRequest)),
    serverCpuShare: median(rounds.map((r) => r.serverCpuShare)),
    loadGeneratorCpuShare: median(rounds.map((r) => r.loadGeneratorCpuShare)),
    requests,
    errors: sum(rounds.map((r) => r.errors + r.timeouts)),
    non2xx: sum(rounds.map((r) => r.non2xx)),
    setsCookie: state.probes.length ? state.probes.some((p) => p.setsCookie) : null,
    redis,
    rounds,
  };
}

async function main() {
  const started = Date.now();
  const build = ensureOursBuild({ skip: args['no-build'] });
  console.log(`[bench] ours: ${build.note}`);
  if (args.profile) {
    if (!build.ok && args.profile.startsWith('ours')) throw new Error(build.note);
    await profileScenario(args.profile, allScenarios(), { settings, obtainCookie, load });
    return 0;
  }

  const redis = await startRedis();
  onExit(() => void redis.kill());
  const stats = connectStats(redis.url);
  const versions = packageVersions();
  console.log('[bench] versions:', Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(', '));
  console.log(`[bench] settings: ${JSON.stringify(settings)}`);

  const machine = machineInfo();
  const scenarios = selectScenarios(allScenarios(), args.only);
  const states = [];
  try {
    for (const scenario of scenarios) {
      if (scenario.lib === 'ours' && !build.ok) {
        states.push({ scenario, servers: [], probes: [], rounds: [], error: build.note });
        continue;
      }
      const state = await prepare(scenario, redis.url);
      if (state.error) console.error(`[bench] ${scenario.id}: ${state.error}`);
      states.push(state);
    }
    const live = states.filter((s) => !s.error);
    const step = Math.max(1, Math.ceil(live.length / settings.rounds));
    for (let round = 0; round < settings.rounds; round++) {
      for (const state of rotate(live, round * step)) {
        if (state.error) continue;
        try {
          const row = await measureRound(state, round, stats);
          state.rounds.push(row);
          const redisNote = row.redis ? `  redis r/w per req ${row.redis.reads?.toFixed(2)}/${row.redis.writes?.toFixed(2)}` : '';
          console.log(`[bench] round ${round + 1}/${settings.rounds} ${state.scenario.id.padEnd(30)} ${Math.round(row.rps).toString().padStart(6)} req/s  p50 ${row.p50?.toFixed(2)} ms  p99 ${row.p99?.toFixed(2)} ms  server CPU ${Math.round(row.serverCpuUsPerRequest)} us/req (${Math.round(row.serverCpuShare * 100)}%)  non2xx ${row.non2xx}${redisNote}`);
        } catch (error) {
          state.error = `round ${round + 1}: ${error?.message ?? error}`;
          console.error(`[bench] ${state.scenario.id}: ${state.error}`);
        }
      }
    }
  } finally {
    await stopAllServers();
    await stats.close();
    await redis.stop();
  }

  const bare = states.find((s) => s.scenario.id === 'bare-h3');
  const bareRps = bare ? median(bare.rounds.map((r) => r.rps)) : null;
  const rows = states.map((s) => summarize(s, bareRps));
  const report = {
    date: new Date().toISOString(),
    quick: args.quick,
    settings,
    machine,
    versions,
    ours: { entry: OURS_ENTRY, build: build.note },
    wallSeconds: Math.round((Date.now() - started) / 1000),
    rows,
  };
  const markdown = renderMarkdown(report);
  console.log(`\n${markdown}`);
  if (!args.quick && !args['no-write']) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(RESULTS_DIR, 'latest.md'), markdown);
    console.log(`[bench] wrote bench/results/latest.json and latest.md (${report.wallSeconds} s)`);
  }
  const failed = rows.filter((r) => !r.ok);
  for (const r of failed) console.error(`[bench] FAILED ${r.id}: ${r.error}`);
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error('[bench] harness error:', error);
    process.exit(2);
  },
);
