// What a store cannot promise across instances, said once per store: only Redis (redis.ts) and SQL through db0
// (sql/) make a session's compare-and-set and a user's revocation hold across processes; every other driver goes
// through generic.ts, whose lock holds within one process.

/** Drivers whose data lives in one process (memory, lru-cache) or one process' directory (fs.ts's lock): nothing to share. */
const PROCESS_LOCAL_DRIVERS = new Set(['memory', 'lru-cache', 'fs', 'fs-lite']);

/** Drivers whose reads may lag their writes and deletes by up to a minute in other locations. */
const EVENTUALLY_CONSISTENT_DRIVERS = new Set(['cloudflare-kv-binding', 'cloudflare-kv-http', 'netlify-blobs']);

/**
 * The warning for a store of the generic backend whose driver may be shared by several instances, or undefined
 * for process-local drivers. `driver` is the driver's name, or 'unstorage' when it could not be identified.
 */
export function storeGuaranteeWarning(driver: string): string | undefined {
  if (PROCESS_LOCAL_DRIVERS.has(driver)) return undefined;
  const store = driver === 'unstorage' ? 'the session store (its driver could not be identified)' : `the '${driver}' session store`;
  const lastWriteWins =
    'no compare-and-set across instances: when two instances (isolates, servers) write one session at once, the last write wins ' +
    'and the other is lost';
  if (EVENTUALLY_CONSISTENT_DRIVERS.has(driver)) {
    return (
      `[@analog-tools/session] ${store} is eventually consistent, so it cannot promise two things: ${lastWriteWins}; and no prompt ` +
      'revocation: a logout, regenerateSession or revokeUserSessions reaches other locations only once the store has propagated ' +
      'it (up to 60 s on Cloudflare KV), and the old cookie keeps working there until then. For both, use Redis ' +
      '(createUnstorageStore({ type: \'redis\', options: { url } })). See "Scaling out" in the @analog-tools/session README.'
    );
  }
  return (
    `[@analog-tools/session] ${store} has ${lastWriteWins}, and revokeUserSessions is not atomic with a login on another ` +
    'instance (that session may survive it). With one instance this does not apply; for several, use Redis ' +
    "(createUnstorageStore({ type: 'redis', options: { url } })) or PostgreSQL / SQLite through db0 " +
    '(createUnstorageStore({ type: \'db0\', options: { database } })). See "Scaling out" in the @analog-tools/session README.'
  );
}
