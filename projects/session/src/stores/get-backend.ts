import type { Storage } from 'unstorage';
import type { SessionBackend } from '../core/backend';
import { createGenericBackend } from './generic';
import { prefixRoute } from './key-route';
import { createRedisBackend, findRedisClient } from './redis';
import { createSqlBackend } from './sql/sql-backend';
import { findSqlDatabase } from './sql/sql-connection';
import { storeGuaranteeWarning } from './store-guarantees';

/** One backend per Storage object, so every config and call that uses a Storage shares its locks and caches. */
const backends = new WeakMap<object, SessionBackend>();

/**
 * The {@link SessionBackend} for an unstorage Storage, created once per Storage object: Redis's own, the SQL one (the db0
 * driver), or the generic one.
 */
export function getSessionBackend(storage: Storage<any>, prefix: string): SessionBackend {
  let backend = backends.get(storage);
  if (!backend) {
    const redis = findRedisClient(storage, prefix);
    const sql = redis ? undefined : findSqlDatabase(storage, prefix);
    backend = redis
      ? createRedisBackend(redis)
      : sql
        ? createSqlBackend(sql)
        : createGenericBackend(storage, driverName(storage, prefix), prefix);
    backends.set(storage, backend);
    // Once per Storage, as its backend is made once: what the store cannot promise across instances.
    const warning = redis || sql ? undefined : storeGuaranteeWarning(backend.backend);
    if (warning) console.warn(warning);
  }
  return backend;
}

/** The name of the driver the Storage sends records to, as far as it can be proven (key-route.ts). */
function driverName(storage: Storage<any>, prefix: string): string {
  return prefixRoute(storage, prefix)?.driver.name ?? 'unstorage';
}
