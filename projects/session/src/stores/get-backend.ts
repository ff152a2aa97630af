import type { Storage } from 'unstorage';
import type { SessionBackend } from '../core/backend';
import { createGenericBackend } from './generic';
import { createRedisBackend, findRedisClient } from './redis';

/** One backend per Storage object, so every config and call that uses a Storage shares its locks and caches. */
const backends = new WeakMap<object, SessionBackend>();

/** The {@link SessionBackend} for an unstorage Storage, created once per Storage object: Redis's own, or the generic one. */
export function getSessionBackend(storage: Storage<any>, prefix: string): SessionBackend {
  let backend = backends.get(storage);
  if (!backend) {
    const redis = findRedisClient(storage, prefix);
    backend = redis ? createRedisBackend(redis) : createGenericBackend(storage, driverName(storage, prefix), prefix);
    backends.set(storage, backend);
  }
  return backend;
}

function driverName(storage: Storage<any>, prefix: string): string {
  try {
    return storage.getMount?.(prefix)?.driver?.name ?? 'unstorage';
  } catch {
    return 'unstorage';
  }
}
