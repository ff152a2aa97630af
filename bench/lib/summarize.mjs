// Turns a scenario's rounds into its row of the report: medians over rounds, sums of failures, Redis counts.
import { median, sum } from './stats.mjs';

/** More than this share of failed or non-2xx responses and a scenario counts as failed. */
export const MAX_BAD_SHARE = 0.01;

function medianOfKeys(objects) {
  const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))].sort();
  return Object.fromEntries(keys.map((k) => [k, median(objects.map((o) => o[k] ?? 0))]));
}

/**
 * @param {object} state  from measure.mjs prepare(), with its rounds and audit
 * @param {{ rps: number | null, cpuUsPerRequest: number | null }} bare  bare h3's medians
 * @param {number} plannedRounds
 */
export function summarize(state, bare, plannedRounds) {
  const { scenario, rounds, audit } = state;
  const rps = median(rounds.map((r) => r.rps));
  const cpuUsPerRequest = median(rounds.map((r) => r.serverCpuUsPerRequest));
  const requests = sum(rounds.map((r) => r.requests));
  const bad = sum(rounds.map((r) => r.errors + r.timeouts + r.non2xx));
  let error = state.error;
  if (!error && rounds.length < plannedRounds) error = `only ${rounds.length} of ${plannedRounds} rounds completed`;
  if (!error && bad > requests * MAX_BAD_SHARE) error = `${bad} of ${requests} responses failed or were not 2xx`;
  const measured = rounds.filter((r) => r.redis);
  const redis =
    scenario.store === 'redis' && (measured.length || audit)
      ? {
          // Client calls (MONITOR audit): EVAL/EVALSHA count as one write, whatever the script runs.
          readsPerRequest: audit?.client.reads ?? null,
          writesPerRequest: audit?.client.writes ?? null,
          otherPerRequest: audit?.client.other ?? null,
          clientCommandsPerRequest: audit?.client.commands ?? null,
          scriptCommandsPerRequest: audit?.script.commands ?? null,
          auditRequests: audit?.requests ?? null,
          // Everything Redis executed during the measured rounds (INFO commandstats, script internals included).
          executed: measured.length
            ? {
                readsPerRequest: median(measured.map((r) => r.redis.reads)),
                writesPerRequest: median(measured.map((r) => r.redis.writes)),
                otherPerRequest: median(measured.map((r) => r.redis.other)),
                commandsPerRequest: medianOfKeys(measured.map((r) => r.redis.commands)),
              }
            : null,
        }
      : null;
  return {
    ...scenario,
    ok: !error,
    error,
    rps,
    ratioToBare: rps && bare.rps ? rps / bare.rps : null,
    // Bare h3's server CPU per request over this row's: the req/s ratio a CPU-bound server would reach.
    cpuRatioToBare: cpuUsPerRequest && bare.cpuUsPerRequest ? bare.cpuUsPerRequest / cpuUsPerRequest : null,
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    serverCpuUsPerRequest: cpuUsPerRequest,
    serverCpuShare: median(rounds.map((r) => r.serverCpuShare)),
    loadGeneratorCpuShare: median(rounds.map((r) => r.loadGeneratorCpuShare)),
    sessions: state.cookies.length,
    requests,
    errors: sum(rounds.map((r) => r.errors + r.timeouts)),
    non2xx: sum(rounds.map((r) => r.non2xx)),
    setsCookie: state.probes.length ? state.probes.some((p) => p.setsCookie) : null,
    redis,
    rounds,
  };
}
