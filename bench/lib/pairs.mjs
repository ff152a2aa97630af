// Side-by-side rounds for the four goals: ours and its ceiling loaded at the same time, so both live through
// the same moments of a shared, noisy machine. On the machine this was written on, bare h3 alone swung
// between 15k and 28k req/s across the 3-second slots of one run, which sequential slots cannot separate from
// a 10% difference; a pair's ratio moves far less (see bench/README.md).
import { cpuMs } from './cpu.mjs';
import { load } from './load.mjs';
import { countRequests, prepare, settle } from './measure.mjs';
import { startServer, stopServer } from './processes.mjs';
import { median, sum } from './stats.mjs';

/** Seconds of load both fresh processes of a block get together before its rounds: a process's first seconds cost more. */
export const PAIR_WARMUP_S = 10;

/** CPU ms of every process of a scenario. */
const cpuOf = (state) => sum(state.servers.map((s) => cpuMs(s.child.pid) ?? NaN));

/**
 * One paired round: both scenarios under their own full load (the usual connections each, one session per
 * connection) for the same seconds. Gives each one's server CPU µs per request and req/s, in the order given.
 */
async function pairRound(a, b, settings) {
  const before = await Promise.all([a, b].map(async (state) => ({ cpu: cpuOf(state), served: await countRequests(state) })));
  const results = await Promise.all(
    [a, b].map((state) =>
      load({ urls: state.urls, cookies: state.cookies, connections: settings.connections, durationS: settings.durationS }),
    ),
  );
  await settle();
  return Promise.all(
    [a, b].map(async (state, i) => {
      const served = (await countRequests(state)) - before[i].served;
      return { cpuUsPerRequest: ((cpuOf(state) - before[i].cpu) * 1000) / served, rps: results[i].requests.total / results[i].duration };
    }),
  );
}

/** Rounds of block `block` when `total` rounds are spread over `blocks` blocks. */
const roundsOf = (block, blocks, total) => Math.floor(total / blocks) + (block < total % blocks ? 1 : 0);

/**
 * One side of a pair. Alone: a fresh process of its own. With `env.hostList` (--one-process): a fresh process
 * hosting every scenario of its h3 major (servers/one-process.mjs), each route opened and sent a few requests
 * first so the process has run every route's code, as an app's process has, before its one route is measured.
 */
async function prepareSide(scenario, settings, env) {
  if (!env.hostList) return { state: await prepare(scenario, env.redisUrl, settings, env.clusterPorts), stop: [] };
  const host = await startServer('one-process.mjs', env.hostList(scenario.h3), { label: `one process, h3 v${scenario.h3}` });
  const others = [];
  for (const other of env.hostScenarios(scenario.h3)) {
    if (other.id === scenario.id) continue;
    const state = await prepare(other, env.redisUrl, settings, env.clusterPorts, host);
    if (!state.error) others.push(state);
  }
  for (const other of others) {
    await load({ urls: other.urls, cookies: other.cookies, connections: settings.connections, amount: settings.connections * 50 });
  }
  return { state: await prepare(scenario, env.redisUrl, settings, env.clusterPorts, host), stop: [host] };
}

/**
 * For each goal: `settings.pairRounds` paired rounds, and the median over rounds of the ratio ceiling CPU per
 * request / ours (what a core serves of ours, relative to the ceiling). The rounds are spread over
 * `settings.pairProcesses` blocks, each on freshly started processes of both scenarios, warmed together first,
 * with the two loads started in the other order from one block to the next: a process can stay slower than its
 * twin for its whole life (bench/README.md), and one process pair per goal let such a process decide the verdict.
 * @param {Array<{ label: string, ours: string, ceiling: string }>} goals
 * @param {Map<string, import('./scenarios.mjs').Scenario>} scenarios  id -> scenario, only those that are up
 * @param {{ connections: number, durationS: number, pairRounds: number, pairProcesses: number, pairWarmupS?: number }} settings
 * @param {{ redisUrl: string, clusterPorts?: number[], hostList?: (major: number) => object[],
 *   hostScenarios?: (major: number) => import('./scenarios.mjs').Scenario[] }} env  with hostList and hostScenarios
 *   (--one-process), each side is a fresh process hosting every scenario of its major, see prepareSide()
 */
export async function measurePairs(goals, scenarios, settings, env, log = console.log) {
  const results = [];
  for (const goal of goals) {
    const pair = [scenarios.get(goal.ours), scenarios.get(goal.ceiling)];
    if (!pair[0] || !pair[1] || settings.pairRounds < 1) continue;
    const blocks = Math.max(1, Math.min(settings.pairProcesses, settings.pairRounds));
    const ratios = [];
    for (let block = 0; block < blocks; block++) {
      const sides = await Promise.all(pair.map((s) => prepareSide(s, settings, env)));
      const [ours, ceiling] = sides.map((side) => side.state);
      try {
        const error = ours.error ?? ceiling.error;
        if (error) throw new Error(`${goal.label}: ${error}`);
        const order = block % 2 === 0 ? [ours, ceiling] : [ceiling, ours];
        const warm = (state) =>
          load({
            urls: state.urls,
            cookies: state.cookies,
            connections: settings.connections,
            durationS: settings.pairWarmupS ?? PAIR_WARMUP_S,
          });
        await Promise.all(order.map(warm));
        for (let round = 0; round < roundsOf(block, blocks, settings.pairRounds); round++) {
          const measured = await pairRound(order[0], order[1], settings);
          const [o, c] = order[0] === ours ? measured : [measured[1], measured[0]];
          const ratio = c.cpuUsPerRequest / o.cpuUsPerRequest;
          ratios.push(ratio);
          log(
            `[bench] pair ${ratios.length}/${settings.pairRounds} ${goal.label.padEnd(14)} processes ${block + 1}/${blocks} ` +
              `ours ${o.cpuUsPerRequest.toFixed(1)} µs/req (${Math.round(o.rps)} req/s), ` +
              `ceiling ${c.cpuUsPerRequest.toFixed(1)} µs/req (${Math.round(c.rps)} req/s): ${ratio.toFixed(3)}`,
          );
        }
      } finally {
        const children = new Set([...ours.servers, ...ceiling.servers, ...sides.flatMap((side) => side.stop)].map((s) => s.child));
        await Promise.all([...children].map((child) => stopServer(child)));
      }
    }
    results.push({ label: goal.label, ours: goal.ours, ceiling: goal.ceiling, ratios, cpuRatio: median(ratios), processes: blocks });
  }
  return results;
}
