// The scenario matrix: bare h3 as the ceiling (alone, and with the raw Redis round trips of a session read
// and write), ours and the peers on the read, write and anonymous paths, each store-backed library with the
// memory store and with Redis, plus ours with every connection on one session and on two processes; then the
// same ceilings and ours on h3 v2 (h3 2.0.8 through srvx), read and write.

/** @typedef {'read' | 'write' | 'write-shared' | 'anon' | 'none' | 'middleware'} BenchPath */
/**
 * @typedef {object} Scenario
 * @property {string} id           stable name used in the results, e.g. `ours-redis-read`
 * @property {string} lib          `bare-h3` | `bare-h3-redis` | `ours` | `h3-sealed` | `scayle` | `express-session`, and on
 *                                 h3 v2 `bare-h3v2` | `bare-h3v2-redis` | `ours-h3v2`
 * @property {1 | 2} h3            the h3 major the server runs on
 * @property {'none' | 'cookie' | 'memory' | 'redis' | 'redis-cluster' | 'postgres' | 'sqlite' | 'mariadb'} store   `cookie`:
 *                                 sealed cookie, no server-side store; `redis-cluster`: a local 3-master Redis Cluster;
 *                                 `postgres`, `mariadb`: the bench's PostgreSQL, MariaDB; `sqlite`: a file of each server
 *                                 process
 * @property {BenchPath} path
 * @property {string} server       file in bench/servers
 * @property {number} procs        server processes; autocannon spreads its connections over all of them
 * @property {number} [db]         Redis database index, one per Redis scenario so their keys never meet
 * @property {string} [entry]      another build of ours than dist/session (ab-http.mjs)
 */

/** Display names of the libraries, in table order. */
export const LIBS = {
  'bare-h3': 'bare h3 (ceiling)',
  'bare-h3-redis': 'bare h3 + raw ioredis (ceiling)',
  'bare-h3-sql': 'bare h3 + raw SQL (ceiling)',
  ours: '@analog-tools/session (ours)',
  'h3-sealed': 'h3 useSession (sealed cookie)',
  scayle: '@scayle/h3-session',
  'express-session': 'express-session (express 5)',
  'bare-h3v2': 'bare h3 v2 (ceiling)',
  'bare-h3v2-redis': 'bare h3 v2 + raw ioredis (ceiling)',
  'ours-h3v2': '@analog-tools/session (ours) on h3 v2',
};

/** Numbered databases of the bench's Redis: one per Redis scenario (see `db`). */
export const REDIS_DATABASES = 32;

/** The ceiling every row of an h3 major is divided by in the "vs bare h3" columns. */
export const BARE = { 1: 'bare-h3', 2: 'bare-h3v2' };

const SERVERS = {
  'bare-h3': 'bare-h3.mjs',
  'bare-h3-redis': 'bare-h3-redis.mjs',
  'bare-h3-sql': 'bare-h3-sql.mjs',
  ours: 'ours.mjs',
  'h3-sealed': 'h3-sealed.mjs',
  scayle: 'scayle.mjs',
  'express-session': 'express-session.mjs',
  'bare-h3v2': 'bare-h3v2.mjs',
  'bare-h3v2-redis': 'bare-h3v2-redis.mjs',
  'ours-h3v2': 'ours-h3v2.mjs',
};

const PATHS = /** @type {const} */ (['read', 'write', 'anon']);

/**
 * Builds the full scenario list.
 * @returns {Scenario[]}
 */
export function allScenarios() {
  /** @type {Scenario[]} */
  const list = [
    { id: 'bare-h3', lib: 'bare-h3', store: 'none', path: 'none', server: SERVERS['bare-h3'], procs: 1 },
    // The Redis ceilings: the same round trips as our read (GET) and write (GET, then SET PX), without a session.
    { id: 'bare-h3-redis-get', lib: 'bare-h3-redis', store: 'redis', path: 'read', server: SERVERS['bare-h3-redis'], procs: 1 },
    { id: 'bare-h3-redis-getset', lib: 'bare-h3-redis', store: 'redis', path: 'write', server: SERVERS['bare-h3-redis'], procs: 1 },
  ];
  for (const lib of ['ours', 'h3-sealed', 'scayle', 'express-session']) {
    const stores = lib === 'h3-sealed' ? ['cookie'] : ['memory', 'redis'];
    for (const store of stores) {
      for (const path of PATHS) {
        list.push({ id: `${lib}-${store}-${path}`, lib, store, path, server: SERVERS[lib], procs: 1 });
      }
    }
  }
  // Contention: every connection writes the same session (compare-and-set conflicts, in-process queueing).
  for (const store of ['memory', 'redis']) {
    list.push({ id: `ours-${store}-write-shared`, lib: 'ours', store, path: 'write-shared', server: SERVERS.ours, procs: 1 });
  }
  // Cross-instance: a session written through one process is read through the other (issue: cross-instance numbers).
  for (const path of ['read', 'write']) {
    list.push({ id: `ours-redis-2proc-${path}`, lib: 'ours', store: 'redis', path, server: SERVERS.ours, procs: 2 });
  }
  // Redis Cluster (3 masters on this machine): the same read and write as on one Redis, keys hash-tagged by slot.
  for (const path of ['read', 'write']) {
    list.push({ id: `ours-redis-cluster-${path}`, lib: 'ours', store: 'redis-cluster', path, server: SERVERS.ours, procs: 1 });
  }
  // SQL through db0: the ceilings make our SQL store's round trips raw (SELECT; SELECT then UPDATE), ours on both, and
  // express-session with connect-pg-simple as the PostgreSQL peer.
  for (const store of ['postgres', 'sqlite', 'mariadb']) {
    for (const [path, call] of [
      ['read', 'get'],
      ['write', 'getset'],
    ]) {
      list.push({ id: `bare-h3-${store}-${call}`, lib: 'bare-h3-sql', store, path, server: SERVERS['bare-h3-sql'], procs: 1 });
      list.push({ id: `ours-${store}-${path}`, lib: 'ours', store, path, server: SERVERS.ours, procs: 1 });
    }
  }
  for (const path of ['read', 'write']) {
    list.push({
      id: `express-session-postgres-${path}`,
      lib: 'express-session',
      store: 'postgres',
      path,
      server: SERVERS['express-session'],
      procs: 1,
    });
  }
  // h3 v2 (2.0.8 through srvx): its ceilings, and ours through its public API (servers/ours-h3v2.mjs).
  list.push(
    { id: 'bare-h3v2', lib: 'bare-h3v2', store: 'none', path: 'none', server: SERVERS['bare-h3v2'], procs: 1, h3: 2 },
    // The same ceiling with one middleware that does what ours does around a request without any session work: it
    // sets the header ours adds to a session's response (Cache-Control) and awaits the rest of the request. A reference
    // row: it prices h3 v2's part of our read (a middleware chain, a Headers object merged into the response).
    {
      id: 'bare-h3v2-middleware',
      lib: 'bare-h3v2',
      store: 'none',
      path: 'middleware',
      server: SERVERS['bare-h3v2'],
      procs: 1,
      h3: 2,
    },
    {
      id: 'bare-h3v2-redis-get',
      lib: 'bare-h3v2-redis',
      store: 'redis',
      path: 'read',
      server: SERVERS['bare-h3v2-redis'],
      procs: 1,
      h3: 2,
    },
    {
      id: 'bare-h3v2-redis-getset',
      lib: 'bare-h3v2-redis',
      store: 'redis',
      path: 'write',
      server: SERVERS['bare-h3v2-redis'],
      procs: 1,
      h3: 2,
    },
  );
  for (const store of ['memory', 'redis']) {
    for (const path of ['read', 'write']) {
      list.push({ id: `ours-h3v2-${store}-${path}`, lib: 'ours-h3v2', store, path, server: SERVERS['ours-h3v2'], procs: 1, h3: 2 });
    }
  }
  let db = 1;
  for (const s of list) {
    s.h3 ??= 1;
    if (s.store === 'redis') s.db = db++;
  }
  return list;
}

/**
 * Keeps the scenarios whose id matches `only` (a regular expression), always with the ceilings for the ratios.
 * @param {Scenario[]} list
 * @param {string | undefined} only
 */
export function selectScenarios(list, only) {
  if (!only) return list;
  const re = new RegExp(only);
  const chosen = list.filter((s) => re.test(s.id));
  // The SQL ceilings only with a SQL scenario of their store (they need its database).
  const ceiling = (s) => s.lib.startsWith('bare-h3') && (s.lib !== 'bare-h3-sql' || chosen.some((c) => c.store === s.store));
  return list.filter((s) => ceiling(s) || re.test(s.id));
}
