import type { Storage } from 'unstorage';
import { createGenericSessionStore } from './generic';
import { createRedisSessionStore, findRedisClient } from './redis';
import type { SessionStore } from '../core/backend';

const stores = new WeakMap<object, SessionStore>();
/** The prefix and timeout of the last session config seen with each Storage, for calls given only the Storage. */
const configsByStorage = new WeakMap<object, StoreConfig>();

/** What a call given only a Storage (e.g. `revokeUserSessions(store, id)`) needs from the session config. */
export interface StoreConfig {
  prefix: string;
  timeout: number;
}

/** The prefix and timeout of the session config that uses `storage`, once a request has used it. */
export function storeConfigOf(storage: Storage<any>): StoreConfig | undefined {
  return configsByStorage.get(storage);
}

/** The {@link SessionStore} for an unstorage Storage, created once per Storage object: Redis's own, or the generic one. */
export function getSessionStore(storage: Storage<any>, prefix: string, config?: StoreConfig): SessionStore {
  if (config) {
    const known = configsByStorage.get(storage);
    if (known?.prefix !== config.prefix || known.timeout !== config.timeout)
      configsByStorage.set(storage, { prefix: config.prefix, timeout: config.timeout });
  }
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
