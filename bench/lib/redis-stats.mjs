// Counts the commands Redis served during a measured round, from INFO commandstats.
import Redis from 'ioredis';

/** Commands that only read session data. */
const READS = new Set(['get', 'mget', 'exists', 'getex', 'hget', 'hmget', 'hgetall', 'ttl', 'pttl']);
/** Commands that write or delete session data or its expiry. */
const WRITES = new Set([
  'set',
  'setex',
  'psetex',
  'setnx',
  'mset',
  'del',
  'unlink',
  'expire',
  'pexpire',
  'expireat',
  'pexpireat',
  'eval',
  'evalsha',
  'hset',
  'hmset',
  'hdel',
  'multi',
  'exec',
]);
/** The harness's own commands (reset and read-out), never counted against a scenario. */
const HARNESS = new Set(['config|resetstat', 'info']);

/**
 * Opens the harness's own connection to the bench Redis.
 * @param {string} url
 */
export function connectStats(url) {
  const client = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  return {
    /** Zeroes the counters just before a measured round. */
    async reset() {
      await client.call('CONFIG', 'RESETSTAT');
    },
    /** @returns {Promise<Record<string, number>>} calls per command since the last reset, harness commands left out */
    async read() {
      const text = await client.info('commandstats');
      /** @type {Record<string, number>} */
      const calls = {};
      for (const line of text.split(/\r?\n/)) {
        const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
        if (m && !HARNESS.has(m[1])) calls[m[1]] = Number(m[2]);
      }
      return calls;
    },
    /**
     * Runs `work` with MONITOR on and counts the commands sent to database `db`, split into the ones clients
     * sent and the ones Lua scripts ran (INFO commandstats counts both together).
     * @param {number} db
     * @param {() => Promise<unknown>} work
     */
    async audit(db, work) {
      const monitor = await client.monitor();
      /** @type {{ client: Record<string, number>, script: Record<string, number> }} */
      const seen = { client: {}, script: {} };
      monitor.on('monitor', (_time, args, source, database) => {
        if (String(database) !== String(db)) return;
        const bucket = source === 'lua' ? seen.script : seen.client;
        const name = String(args[0]).toLowerCase();
        bucket[name] = (bucket[name] ?? 0) + 1;
      });
      try {
        await work();
        await new Promise((resolve) => setTimeout(resolve, 200));
      } finally {
        monitor.disconnect();
      }
      return seen;
    },
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/**
 * Splits command counts into reads, writes and others, each divided by the requests served.
 * @param {Record<string, number>} calls
 * @param {number} requests
 */
export function perRequest(calls, requests) {
  let reads = 0;
  let writes = 0;
  let other = 0;
  for (const [name, n] of Object.entries(calls)) {
    const base = name.split('|')[0];
    if (READS.has(base)) reads += n;
    else if (WRITES.has(base)) writes += n;
    else other += n;
  }
  const div = (n) => (requests > 0 ? n / requests : null);
  return {
    reads: div(reads),
    writes: div(writes),
    other: div(other),
    commands: Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, div(v)])),
  };
}
