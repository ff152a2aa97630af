import type { Storage } from 'unstorage';
import { createGenericSessionStore } from './generic-session-store';
import { createRedisSessionStore, findRedisClient } from './redis-session-store';
import type { SessionStore } from './session-store';

const stores = new WeakMap<object, SessionStore>();

/** The {@link SessionStore} for an unstorage Storage, created once per Storage object: Redis's own, or the generic one. */
export function getSessionStore(storage: Storage<any>, prefix: string): SessionStore {
  let store = stores.get(storage);
  if (!store) {
    const redis = findRedisClient(storage, prefix);
    store = redis ? createRedisSessionStore(redis) : createGenericSessionStore(storage, driverName(storage, prefix), prefix);
    stores.set(storage, store);
  }
  return store;
}

function driverName(storage: Storage<any>, prefix: string): string {
  try {
    return storage.getMount?.(prefix)?.driver?.name ?? 'unstorage';
  } catch {
    return 'unstorage';
  }
}
