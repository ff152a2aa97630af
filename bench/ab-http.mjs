// `node bench/ab-http.mjs --scenario ours-postgres-write [--rounds 9] [--processes 3] A/index.js B/index.js`: two builds
// of ours over HTTP, side by side (lib/pairs.mjs: both loaded at once, fresh process pairs, warmed together), by server
// CPU per request. Prints A's CPU per request over B's round by round and their median: above 1, B costs less. Copy a
// build aside first (`cp -r dist/session dist/ab/base`); the builds must lie inside the repository (they import its
// node_modules).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startPostgres } from '../tools/postgres-server.mjs';
import { startRedis } from '../tools/redis-server.mjs';
import { measurePairs } from './lib/pairs.mjs';
import { onExit, stopAllServers } from './lib/processes.mjs';
import { allScenarios, REDIS_DATABASES } from './lib/scenarios.mjs';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    scenario: { type: 'string', default: 'ours-postgres-write' },
    rounds: { type: 'string', default: '9' },
    processes: { type: 'string', default: '3' },
    duration: { type: 'string', default: '3' },
  },
});
const [a, b] = positionals;
const base = allScenarios().find((s) => s.id === args.scenario);
if (!a || !b || !base) throw new Error('usage: node bench/ab-http.mjs --scenario <ours scenario id> A/index.js B/index.js');

const stops = [];
let redisUrl;
if (base.store === 'redis') {
  const redis = await startRedis({ databases: REDIS_DATABASES });
  onExit(() => void redis.kill());
  stops.push(() => redis.stop());
  redisUrl = redis.url;
}
if (base.store === 'postgres') {
  const postgres = await startPostgres();
  onExit(() => void postgres.kill());
  stops.push(() => postgres.stop());
  process.env['BENCH_POSTGRES_URL'] = postgres.url;
}
if (base.store === 'sqlite') {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ab-'));
  process.env['BENCH_SQL_DIR'] = dir;
  stops.push(() => rmSync(dir, { recursive: true, force: true }));
}
const scenarios = new Map([
  ['A', { ...base, id: 'A', entry: a }],
  ['B', { ...base, id: 'B', entry: b }],
]);
const settings = {
  connections: 32,
  durationS: Number(args.duration),
  pairRounds: Number(args.rounds),
  pairProcesses: Number(args.processes),
};
try {
  // "ours" is B and "ceiling" A in the log lines: their ratio is A's CPU per request over B's.
  const [result] = await measurePairs([{ label: args.scenario, ours: 'B', ceiling: 'A' }], scenarios, settings, { redisUrl });
  const sorted = [...result.ratios].sort((x, y) => x - y);
  console.log(
    `${args.scenario}: A ${a} / B ${b} by server CPU per request, side by side: ${result.cpuRatio.toFixed(3)} ` +
      `[${sorted[0].toFixed(3)}–${sorted.at(-1).toFixed(3)}] over ${sorted.length} rounds (above 1: B costs less)`,
  );
} finally {
  await stopAllServers();
  for (const stop of stops) await stop();
}
process.exit(0);
