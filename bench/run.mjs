// `npm run bench`: load-tests ours and its peers from this process (autocannon) against servers in child
// processes and a real Redis, in interleaved rounds, then writes bench/results/latest.{json,md}.
//
//   node bench/run.mjs                 full run (3 rounds of 3 s after a 1 s warm-up, every scenario)
//   node bench/run.mjs --quick         smoke test (the h3 v2 rows and the ceilings, 1 round of 1 s, prints, writes no results)
//   node bench/run.mjs --one-process   every server of an h3 major in ONE process, as an app serves its routes
//                                      (servers/one-process.mjs): 5 interleaved rounds of 4 s, and side-by-side rounds
//                                      between two such processes; writes bench/results/one-process.{json,md}
//   options: --rounds N --duration S --warmup S --connections N --only REGEX --no-build --no-write
//            --pair-rounds N           side-by-side rounds per goal, ours and its ceiling at once (lib/pairs.mjs; default 7)
//            --pair-processes N        fresh process pairs those rounds are spread over (default 3)
//            --profile SCENARIO_ID     CPU profile of one scenario's server instead of a run (lib/profile.mjs)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startPostgres } from '../tools/postgres-server.mjs';
import { startMariadb } from '../tools/mariadb-server.mjs';
import { startRedisCluster } from '../tools/redis-cluster.mjs';
import { startRedis } from '../tools/redis-server.mjs';
import { ensureOursBuild, OURS_ENTRY, ROOT } from './lib/ensure-build.mjs';
import { machineInfo, packageVersions } from './lib/environment.mjs';
import { auditRedis, measureRound, prepare, serverConfigOf } from './lib/measure.mjs';
import { onExit, startServer, stopAllServers } from './lib/processes.mjs';
import { profileScenario } from './lib/profile.mjs';
import { connectStats } from './lib/redis-stats.mjs';
import { measurePairs } from './lib/pairs.mjs';
import { CALIBRATION, GOALS, goalRatios, renderMarkdown } from './lib/report.mjs';
import { allScenarios, BARE, REDIS_DATABASES, selectScenarios } from './lib/scenarios.mjs';
import { median, rotate } from './lib/stats.mjs';
import { summarize } from './lib/summarize.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'one-process': { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    only: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    profile: { type: 'string' },
    'pair-rounds': { type: 'string' },
    'pair-processes': { type: 'string' },
  },
});

const onePlace = args['one-process'];
const settings = {
  onePlace,
  // --one-process defaults to the method of the issue's outside bench: 5 interleaved rounds of 4 s.
  rounds: Number(args.rounds ?? (args.quick ? 1 : onePlace ? 5 : 3)),
  durationS: Number(args.duration ?? (args.quick ? 1 : onePlace ? 4 : 3)), // autocannon stops on whole-second ticks
  warmupS: Number(args.warmup ?? (args.quick ? 0 : 1)),
  connections: Number(args.connections ?? 32),
  pipelining: 1,
  pairRounds: Number(args['pair-rounds'] ?? (args.quick ? 1 : 7)),
  pairProcesses: Number(args['pair-processes'] ?? (args.quick ? 1 : 3)),
  pairWarmupS: args.quick ? 1 : undefined,
};
// --quick is a smoke test of the h3 v2 rows (the ceilings always run): well under a minute.
const only = args.only ?? (args.quick ? 'h3v2' : undefined);
const RESULTS_DIR = join(ROOT, 'bench/results');
const RESULTS_NAME = onePlace ? 'one-process' : 'latest';
const START_BATCH = 4;

/**
 * What the SQL scenarios need, for their server processes to find in the environment (servers/store.mjs): a throw-away
 * PostgreSQL (BENCH_POSTGRES_URL) with connect-pg-simple's table, a throw-away MariaDB (BENCH_MARIADB_URL), and a folder
 * for the SQLite files (BENCH_SQL_DIR).
 */
async function startSqlStores(scenarios) {
  const stops = [];
  if (scenarios.some((s) => s.store === 'sqlite')) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-sqlite-'));
    process.env['BENCH_SQL_DIR'] = dir;
    const remove = () => rmSync(dir, { recursive: true, force: true });
    onExit(remove);
    stops.push(remove);
  }
  const stop = async () => {
    for (const step of stops) await step();
  };
  if (scenarios.some((s) => s.store === 'mariadb')) {
    const mariadb = await startMariadb();
    onExit(() => void mariadb.kill());
    stops.push(() => mariadb.stop());
    process.env['BENCH_MARIADB_URL'] = mariadb.url;
  }
  if (!scenarios.some((s) => s.store === 'postgres')) return { stop };
  const postgres = await startPostgres();
  onExit(() => void postgres.kill());
  stops.push(() => postgres.stop());
  process.env['BENCH_POSTGRES_URL'] = postgres.url;
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  await client.query(readFileSync(join(ROOT, 'node_modules/connect-pg-simple/table.sql'), 'utf8'));
  await client.end();
  return { stop };
}

function logRound(state, round, row) {
  const gc = row.gc
    ? `  GC ${row.gc.pauseUsPerRequest.toFixed(1)} us/req (${row.gc.minor} scavenges, ${row.gc.major} mark-compacts), ` +
      `heap ${Math.round(row.gc.heapUsedMB)} MB`
    : '';
  const redis = row.redis ? `  redis executed r/w per req ${row.redis.reads?.toFixed(2)}/${row.redis.writes?.toFixed(2)}` : '';
  console.log(
    `[bench] round ${round + 1}/${settings.rounds} ${state.scenario.id.padEnd(30)} ${Math.round(row.rps).toString().padStart(6)} req/s` +
      `  p50 ${row.p50?.toFixed(2)} ms  p99 ${row.p99?.toFixed(2)} ms  server CPU ${Math.round(row.serverCpuUsPerRequest)} us/req` +
      ` (${Math.round(row.serverCpuShare * 100)}%)${gc}  errors ${row.errors + row.timeouts}  non2xx ${row.non2xx}${redis}`,
  );
}

async function main() {
  const started = Date.now();
  const build = ensureOursBuild({ skip: args['no-build'] });
  console.log(`[bench] ours: ${build.note}`);
  if (args.profile) {
    if (!build.ok && args.profile.startsWith('ours')) throw new Error(build.note);
    await profileScenario(args.profile, allScenarios(), settings);
    return 0;
  }

  const machine = machineInfo();
  const versions = packageVersions();
  console.log(
    '[bench] versions:',
    Object.entries(versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  );
  console.log(`[bench] settings: ${JSON.stringify(settings)}; load average ${machine.loadavg.join(' / ')}`);
  const redis = await startRedis({ databases: REDIS_DATABASES });
  onExit(() => void redis.kill());
  const stats = connectStats(redis.url);

  // One process serves one scenario's routes once: the two-process rows have no one-process form.
  const scenarios = selectScenarios(allScenarios(), only).filter((s) => !onePlace || s.procs === 1);
  const cluster = scenarios.some((s) => s.store === 'redis-cluster') ? await startRedisCluster() : null;
  if (cluster) onExit(() => void cluster.stop());
  const sql = await startSqlStores(scenarios);
  const states = [];
  let pairs = [];
  let calibration = null;
  const unbuilt = (scenario) => scenario.lib.startsWith('ours') && !build.ok;
  try {
    // --one-process: one process per h3 major serves all of that major's scenarios, each on its own port.
    const hosts = new Map();
    const hostScenarios = (major) => scenarios.filter((s) => s.h3 === major && !unbuilt(s));
    const hostList = (major) =>
      hostScenarios(major).map((s) => ({ id: s.id, server: s.server, config: serverConfigOf(s, redis.url, cluster?.ports) }));
    if (onePlace) {
      for (const major of [1, 2]) {
        const list = hostList(major);
        if (list.length) hosts.set(major, await startServer('one-process.mjs', list, { label: `one process, h3 v${major}` }));
      }
    }
    // Servers start a few at a time: start-up is mostly module loading, which overlaps well.
    const prepareOne = async (scenario) => {
      const state = unbuilt(scenario)
        ? { scenario, servers: [], cookies: [], probes: [], rounds: [], audit: null, error: build.note }
        : await prepare(scenario, redis.url, settings, cluster?.ports, hosts.get(scenario.h3));
      if (state.error) console.error(`[bench] ${scenario.id}: ${state.error}`);
      return state;
    };
    for (let i = 0; i < scenarios.length; i += START_BATCH) {
      states.push(...(await Promise.all(scenarios.slice(i, i + START_BATCH).map(prepareOne))));
    }
    console.log(`[bench] ${states.length} scenarios ready after ${Math.round((Date.now() - started) / 1000)} s`);
    const live = states.filter((s) => !s.error);
    // Each round starts at a different scenario, so no row always runs first, last or after the same neighbour.
    const step = Math.max(1, Math.ceil(live.length / settings.rounds));
    for (let round = 0; round < settings.rounds; round++) {
      for (const state of rotate(live, round * step)) {
        if (state.error) continue;
        try {
          const row = await measureRound(state, round, settings, stats);
          state.rounds.push(row);
          logRound(state, round, row);
        } catch (error) {
          state.error = `round ${round + 1}: ${error?.message ?? error}`;
          console.error(`[bench] ${state.scenario.id}: ${state.error}`);
        }
      }
    }
    const env = { redisUrl: redis.url, clusterPorts: cluster?.ports, ...(onePlace ? { hostList, hostScenarios } : {}) };
    const up = new Map(live.filter((s) => !s.error).map((s) => [s.scenario.id, s.scenario]));
    pairs = await measurePairs(GOALS, up, settings, env);
    // The side-by-side method's own resolution: bare h3 paired with bare h3 the same way (1.00 on a quiet machine).
    const bare = up.get(CALIBRATION.ceiling);
    const twins = new Map(
      bare
        ? [
            [CALIBRATION.ceiling, bare],
            [CALIBRATION.ours, bare],
          ]
        : [],
    );
    calibration = (await measurePairs([CALIBRATION], twins, settings, env))[0] ?? null;
    for (const state of live) {
      if (state.error || state.scenario.store !== 'redis') continue;
      try {
        state.audit = await auditRedis(state, settings, stats);
        const { client, script } = state.audit;
        console.log(
          `[bench] MONITOR ${state.scenario.id.padEnd(30)} client calls/req ${JSON.stringify(client.commands)}  ` +
            `inside scripts ${JSON.stringify(script.commands)}`,
        );
      } catch (error) {
        state.error = `Redis audit: ${error?.message ?? error}`;
        console.error(`[bench] ${state.scenario.id}: ${state.error}`);
      }
    }
  } finally {
    await stopAllServers();
    await stats.close();
    await redis.stop();
    await cluster?.stop();
    await sql.stop();
  }

  // Each row is divided by the bare h3 of its own major.
  const bareMedians = (major) => {
    const bare = states.find((s) => s.scenario.id === BARE[major]);
    return {
      rps: bare ? median(bare.rounds.map((r) => r.rps)) : null,
      cpuUsPerRequest: bare ? median(bare.rounds.map((r) => r.serverCpuUsPerRequest)) : null,
    };
  };
  const rows = states.map((s) => summarize(s, bareMedians(s.scenario.h3), settings.rounds));
  const report = {
    date: new Date().toISOString(),
    quick: args.quick,
    onePlace,
    settings,
    machine: { ...machine, loadavgAtEnd: machineInfo().loadavg },
    versions,
    ours: { entry: OURS_ENTRY, build: build.note },
    wallSeconds: Math.round((Date.now() - started) / 1000),
    rows,
    pairs,
    calibration,
  };
  const markdown = renderMarkdown(report);
  console.log(`\n${markdown}`);
  for (const g of goalRatios(rows, pairs)) {
    console.log(
      `[bench] ${g.label.padEnd(14)} ${g.ours} / ${g.ceiling}: ` +
        `${g.ratio?.toFixed(2) ?? '—'} by req/s${g.roundRange && ` ${g.roundRange}`}, ` +
        `${g.cpuRatio?.toFixed(2) ?? '—'} by CPU${g.cpuRoundRange && ` ${g.cpuRoundRange}`}, ` +
        `${g.pairedCpuRatio?.toFixed(2) ?? '—'} by CPU side by side (goal ${g.goal})`,
    );
  }
  if (!args.quick && !args['no-write']) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, `${RESULTS_NAME}.json`), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(RESULTS_DIR, `${RESULTS_NAME}.md`), markdown);
    console.log(`[bench] wrote bench/results/${RESULTS_NAME}.json and ${RESULTS_NAME}.md`);
  }
  console.log(`[bench] done in ${report.wallSeconds} s`);
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
