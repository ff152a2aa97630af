// Side-by-side rounds for the four goals: ours and its ceiling loaded at the same time, so both live through
// the same moments of a shared, noisy machine. On the machine this was written on, bare h3 alone swung
// between 15k and 28k req/s across the 3-second slots of one run, which sequential slots cannot separate from
// a 10% difference; a pair's ratio moves far less (see bench/README.md).
import { cpuMs } from './cpu.mjs';
import { load } from './load.mjs';
import { countRequests, settle } from './measure.mjs';
import { median, sum } from './stats.mjs';

/** CPU ms of every process of a scenario. */
const cpuOf = (state) => sum(state.servers.map((s) => cpuMs(s.child.pid) ?? NaN));

/**
 * One paired round: both scenarios under their own full load (the usual connections each, one session per
 * connection) for the same seconds. Gives each one's server CPU µs per request and req/s.
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

/**
 * For each goal whose two scenarios are up: `rounds` paired rounds, and the median over rounds of the
 * ratio ceiling CPU per request / ours (what a core serves of ours, relative to the ceiling).
 * @param {Array<{ label: string, ours: string, ceiling: string }>} goals
 * @param {Map<string, object>} states  scenario id -> state from prepare()
 * @param {{ connections: number, durationS: number, pairRounds: number }} settings
 */
export async function measurePairs(goals, states, settings, log = console.log) {
  const results = [];
  for (const goal of goals) {
    const ours = states.get(goal.ours);
    const ceiling = states.get(goal.ceiling);
    if (!ours || !ceiling || ours.error || ceiling.error) continue;
    // Warm both connections pools together once.
    await Promise.all(
      [ours, ceiling].map((s) =>
        load({ urls: s.urls, cookies: s.cookies, connections: settings.connections, amount: settings.connections * 25 }),
      ),
    );
    const ratios = [];
    for (let round = 0; round < settings.pairRounds; round++) {
      const [o, c] = await pairRound(ours, ceiling, settings);
      const ratio = c.cpuUsPerRequest / o.cpuUsPerRequest;
      ratios.push(ratio);
      log(
        `[bench] pair ${round + 1}/${settings.pairRounds} ${goal.label.padEnd(14)} ours ${o.cpuUsPerRequest.toFixed(1)} µs/req ` +
          `(${Math.round(o.rps)} req/s), ceiling ${c.cpuUsPerRequest.toFixed(1)} µs/req (${Math.round(c.rps)} req/s): ${ratio.toFixed(3)}`,
      );
    }
    results.push({ label: goal.label, ours: goal.ours, ceiling: goal.ceiling, ratios, cpuRatio: median(ratios) });
  }
  return results;
}
