// `node bench/ab-h3v2.mjs [--path read|write] [--store memory|redis] [--rounds N] [--processes N] A/index.js B/index.js`:
// an A/B of two builds of the session over HTTP on h3 v2 (servers/ours-h3v2.mjs; memory, or a throw-away
// redis-server), side by side: both servers under
// full load at the same time, round by round, the ratio of their server CPU per request (lib/pairs.mjs). Prints the
// median and range of B's CPU per request over A's, i.e. below 1.00 when B is cheaper. Keep each build in a folder of
// its own under the repository (the h3 hook resolves from our node_modules): `npm run build:session`, then
// `cp -r dist/session tmp/ab/a`. A build against itself tells the method's resolution.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startRedis } from '../tools/redis-server.mjs';
import { measurePairs } from './lib/pairs.mjs';
import { median } from './lib/stats.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    path: { type: 'string', default: 'read' },
    store: { type: 'string', default: 'memory' },
    rounds: { type: 'string', default: '9' },
    processes: { type: 'string', default: '3' },
  },
});
if (positionals.length !== 2) {
  console.error(
    'usage: node bench/ab-h3v2.mjs [--path read|write] [--store memory|redis] [--rounds N] [--processes N] A/index.js B/index.js',
  );
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const servers = fileURLToPath(new URL('servers/', import.meta.url));
const dir = join(root, 'tmp/ab-servers');
mkdirSync(dir, { recursive: true });

// One server file per build: it names the build for servers/h3v2-session.mjs, then serves ours-h3v2.mjs's app.
const scenarios = positionals.map((build, i) => {
  const file = join(dir, `ours-${i}.mjs`);
  writeFileSync(
    file,
    `process.env.BENCH_SESSION_BUILD = ${JSON.stringify(resolve(build))};\n` +
      `const { start } = await import(${JSON.stringify(join(servers, 'ours-h3v2.mjs'))});\n` +
      `const { standalone } = await import(${JSON.stringify(join(servers, 'serve.mjs'))});\n` +
      `await standalone(import.meta.url, start);\n`,
  );
  return {
    id: `build-${'AB'[i]}`,
    lib: 'ours',
    store: values.store,
    db: i + 1,
    path: values.path,
    server: relative(servers, file),
    procs: 1,
    h3: 2,
  };
});
const settings = { connections: 32, durationS: 4, pairRounds: Number(values.rounds), pairProcesses: Number(values.processes) };
const redis = values.store === 'redis' ? await startRedis() : undefined;
const [result] = await measurePairs(
  [{ label: `${values.path} A/B`, ours: 'build-A', ceiling: 'build-B' }],
  new Map(scenarios.map((s) => [s.id, s])),
  settings,
  { redisUrl: redis?.url ?? '' },
);
await redis?.stop();
const ratios = result.ratios;
console.log(
  `A (${positionals[0]}) against B (${positionals[1]}), ${values.store} ${values.path}: B's CPU per request / A's = ` +
    `${median(ratios).toFixed(3)} [${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}] over ${ratios.length} rounds`,
);
