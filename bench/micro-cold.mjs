// `node bench/micro-cold.mjs [--evict MB] [--runs N] [dist/session/index.js ...]`: the cost of one session read
// (useSession on a known cookie, memory store) when the CPU caches are cold, as they are in a real server, where
// Node's HTTP work between two requests evicts the session layer's code and data. Before each timed call it walks
// a buffer of `--evict` MB (default 2, twice this machine's L2) and builds some JSON; a call is timed alone, and the
// median per call, less the median of an empty call timed the same way, is the read's cost. Each build runs in its
// own child process (builds loaded in one process skew each other), the builds alternating, `--runs` times each
// (default 5); the report gives the median run of each build with the lowest and highest.
import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createStorage } from 'unstorage';
import { median } from './lib/stats.mjs';
import { storedSessionCookies, syntheticEvent as event } from './lib/synthetic-event.mjs';

const SESSIONS = 32;
const CALLS = 10_000;
const ROUNDS = 7;

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const evictMb = option('--evict', 2);
const runs = option('--runs', 5);
const builds = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));

if (process.env.MICRO_COLD_BUILD) {
  process.send({ us: await measure(process.env.MICRO_COLD_BUILD) });
  process.exit(0);
}

const results = new Map((builds.length ? builds : ['dist/session/index.js']).map((b) => [b, []]));
for (let run = 0; run < runs; run++) {
  for (const [build, us] of results) us.push(await inChild(build));
}
for (const [build, us] of results) {
  console.log(
    `${build.padEnd(40)} cold read ${median(us).toFixed(2)} µs [${Math.min(...us).toFixed(2)}–${Math.max(...us).toFixed(2)}]` +
      ` over ${runs} runs (${evictMb} MB evicted before each call)`,
  );
}

/** One run of `build` in a fresh process: its cold read cost in µs. */
function inChild(build) {
  const child = fork(fileURLToPath(import.meta.url), args, { env: { ...process.env, MICRO_COLD_BUILD: build } });
  return new Promise((done, fail) => {
    child.on('message', (m) => done(m.us));
    child.on('exit', (code) => code !== 0 && fail(new Error(`${build}: the measuring process exited with ${code}`)));
  });
}

/** The median cost of a cold synchronous read, in µs, over ROUNDS rounds of CALLS calls (the first 2 rounds warm up). */
async function measure(build) {
  const lib = await import(pathToFileURL(resolve(build)).href);
  const config = { store: createStorage(), secret: 'bench-secret-bench-secret-bench-secret-0123456789', maxAge: 86_400 };
  const cookies = await storedSessionCookies(lib, config, SESSIONS, (i) => ({ n: i }));
  // Each cookie verified once: from here on a read of a memory store is synchronous.
  for (const cookie of cookies) await lib.useSession(event(cookie), config);

  const junk = new Int32Array((evictMb * 1024 * 1024) / 4);
  let sink = 0;
  const evict = () => {
    for (let i = 0; i < junk.length; i += 16) sink += junk[i]++;
    sink += JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ i, s: String(i) }))).length;
  };
  const empty = () => undefined;
  const reads = new Float64Array(CALLS / 2);
  const empties = new Float64Array(CALLS / 2);
  const costs = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < CALLS; i++) {
      const read = i % 2 === 1;
      const e = event(cookies[i % SESSIONS]);
      evict();
      const start = process.hrtime.bigint();
      const pending = read ? lib.useSession(e, config) : empty(e, config);
      (read ? reads : empties)[i >> 1] = Number(process.hrtime.bigint() - start);
      if (read && lib.getSession(e)?.n !== i % SESSIONS) throw new Error('the read did not find its session');
      await pending;
    }
    if (round >= 2) costs.push((median([...reads]) - median([...empties])) / 1000);
  }
  if (sink === 0) throw new Error('unreachable: keeps the eviction from being optimized away');
  return median(costs);
}
