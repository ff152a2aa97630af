// One scenario's life in a run: start its server(s) and sessions, measure interleaved rounds, audit its Redis traffic.
import { cpuMs } from './cpu.mjs';
import { ceilingCookie, load, obtainCookie, percentile, probe } from './load.mjs';
import { startServer } from './processes.mjs';
import { perRequest } from './redis-stats.mjs';
import { sum } from './stats.mjs';

/** Requests cut off when autocannon stops still reach the server and the store: let them finish first. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

/** Checks that a server sees the session the way the scenario means it (the setup cookie honoured, or none). */
function checkProbe(scenario, result) {
  if (result.status !== 200) return `probe answered ${result.status}: ${JSON.stringify(result.body)}`;
  const n = result.body?.n;
  if (scenario.path !== 'anon' && scenario.path !== 'none' && scenario.path !== 'middleware' && typeof n !== 'number') {
    return `the setup cookie was not honoured (body ${JSON.stringify(result.body)})`;
  }
  if (scenario.path === 'anon' && n !== null) return `an anonymous request saw session data ${JSON.stringify(result.body)}`;
  return null;
}

/**
 * What a scenario's server is told (BENCH_SERVER, servers/serve.mjs).
 * @param {import('./scenarios.mjs').Scenario} scenario
 * @param {string} redisUrl
 * @param {number[]} [clusterPorts] the Redis Cluster's nodes, for `redis-cluster` scenarios
 */
export function serverConfigOf(scenario, redisUrl, clusterPorts) {
  return {
    path: scenario.path,
    store: scenario.store,
    redisUrl: scenario.db ? `${redisUrl}/${scenario.db}` : undefined,
    redisCluster: scenario.store === 'redis-cluster' ? clusterPorts : undefined,
    entry: scenario.entry,
  };
}

/**
 * Starts the scenario's server process(es) and, for the read and write paths, opens one session per
 * connection (per pair of connections with two processes, see load.mjs; one for all on `write-shared`)
 * through /setup on the first process.
 * @param {import('./scenarios.mjs').Scenario} scenario
 * @param {string} redisUrl
 * @param {{ connections: number }} settings
 * @param {number[]} [clusterPorts] the Redis Cluster's nodes, for `redis-cluster` scenarios
 * @param {Awaited<ReturnType<typeof startServer>>} [host] with --one-process: the process that already serves
 *   this scenario among others (servers/one-process.mjs), used instead of starting one
 */
export async function prepare(scenario, redisUrl, settings, clusterPorts, host) {
  const serverConfig = serverConfigOf(scenario, redisUrl, clusterPorts);
  const state = { scenario, servers: [], urls: [], cookies: [], probes: [], rounds: [], audit: null, error: null };
  try {
    for (let i = 0; i < scenario.procs; i++) {
      const server = host
        ? { ...host, port: host.ports[scenario.id], requestCount: () => host.requestCount(scenario.id) }
        : await startServer(scenario.server, serverConfig, { label: `${scenario.id}#${i}` });
      state.servers.push(server);
      state.urls.push(`http://127.0.0.1:${server.port}/`);
    }
    if (scenario.path === 'none' || scenario.path === 'middleware') {
      // The ceiling gets the same request bytes as the session servers: a Cookie header of our cookie's shape.
      for (let i = 0; i < settings.connections; i++) state.cookies.push(ceilingCookie());
    } else if (scenario.path !== 'anon') {
      const sessions = scenario.path === 'write-shared' ? 1 : Math.max(1, Math.floor(settings.connections / scenario.procs));
      for (let i = 0; i < sessions; i++) state.cookies.push(await obtainCookie(state.servers[0].port));
    }
    // Every process is probed with the first session: with two, this also proves the session crosses over.
    for (const server of state.servers) {
      const result = await probe(server.port, state.cookies[0]);
      state.probes.push(result);
      const problem = checkProbe(scenario, result);
      if (problem) throw new Error(problem);
    }
  } catch (error) {
    state.error = String(error?.message ?? error);
  }
  return state;
}

/** GC totals of the scenario's server process(es), summed (a one-process host counts once). */
async function gcOf(state) {
  const processes = [...new Map(state.servers.map((s) => [s.child.pid, s])).values()];
  const all = await Promise.all(processes.map((s) => s.gcStats()));
  const keys = ['minorMs', 'minor', 'majorMs', 'major', 'otherMs', 'heapUsedMB'];
  return Object.fromEntries(keys.map((k) => [k, sum(all.map((g) => g?.[k] ?? 0))]));
}

/** Requests the scenario's server(s) have seen, counted on arrival. */
export function countRequests(state) {
  return Promise.all(state.servers.map((s) => s.requestCount())).then(sum);
}

/**
 * Warm-up, then one measured round: req/s, latencies, server CPU and (Redis) INFO commandstats.
 * @param {object} state  from prepare()
 * @param {number} round
 * @param {{ connections: number, durationS: number, warmupS: number }} settings
 * @param {ReturnType<typeof import('./redis-stats.mjs').connectStats> | null} stats
 */
export async function measureRound(state, round, settings, stats) {
  if (state.servers.some((s) => s.exited())) throw new Error('a server process exited');
  const base = { urls: state.urls, cookies: state.cookies, connections: settings.connections };
  // The first round warms a cold process for warmupS; later ones only re-open connections and caches with
  // 25 requests per connection, which keeps a full run within ~6 minutes.
  if (round === 0 && settings.warmupS > 0) await load({ ...base, durationS: settings.warmupS });
  else if (settings.warmupS > 0) await load({ ...base, amount: settings.connections * 25 });
  await settle();
  const redis = stats && state.scenario.store === 'redis' ? stats : null;
  if (redis) await redis.reset();
  const served = await countRequests(state);
  const pids = state.servers.map((s) => s.child.pid);
  const gcBefore = await gcOf(state);
  const cpuBefore = pids.map(cpuMs);
  const clientBefore = process.cpuUsage();
  const latencies = [];
  const r = await load({ ...base, durationS: settings.durationS, latencies });
  const client = process.cpuUsage(clientBefore);
  await settle();
  const serverCpuMs = sum(pids.map((pid, i) => (cpuMs(pid) ?? NaN) - (cpuBefore[i] ?? NaN)));
  const gcAfter = await gcOf(state);
  const calls = redis ? await redis.read() : null;
  const serverRequests = (await countRequests(state)) - served;
  const requests = r.requests.total;
  if (requests === 0) throw new Error('no request completed');
  latencies.sort((a, b) => a - b);
  return {
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
    // Main-thread GC pauses per request (scavenges and mark-compacts) and the heap in use at the end of the round.
    gc: serverRequests
      ? {
          pauseUsPerRequest:
            ((gcAfter.minorMs + gcAfter.majorMs + gcAfter.otherMs - gcBefore.minorMs - gcBefore.majorMs - gcBefore.otherMs) * 1000) /
            serverRequests,
          minor: gcAfter.minor - gcBefore.minor,
          major: gcAfter.major - gcBefore.major,
          majorMs: gcAfter.majorMs - gcBefore.majorMs,
          heapUsedMB: gcAfter.heapUsedMB,
        }
      : null,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    // Every command Redis executed, including the ones run inside Lua scripts.
    redis: calls ? { calls, ...perRequest(calls, serverRequests) } : null,
  };
}

/**
 * A short run (20 requests per connection) with Redis MONITOR on: which commands the clients sent and which
 * ran inside scripts, per request. Not timed: MONITOR slows Redis down.
 */
export async function auditRedis(state, settings, stats) {
  const served = await countRequests(state);
  const seen = await stats.audit(state.scenario.db, () =>
    load({ urls: state.urls, cookies: state.cookies, connections: settings.connections, amount: settings.connections * 20 }),
  );
  await settle();
  const requests = (await countRequests(state)) - served;
  return { requests, client: perRequest(seen.client, requests), script: perRequest(seen.script, requests) };
}
