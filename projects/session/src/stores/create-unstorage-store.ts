import {
  builtinDrivers,
  createStorage,
  type BuiltinDriverName,
  type BuiltinDriverOptions,
  type Driver,
  type Storage,
  type StorageValue,
} from 'unstorage';
import { withSessionFs } from './fs';
import type { SessionData } from '../core/config';
import { SessionError } from '../core/errors';

/** `{ type, options }` for every unstorage built-in driver, with the options type of that driver. */
export type DriverOptions = {
  [K in BuiltinDriverName]: { type: K; options?: K extends keyof BuiltinDriverOptions ? BuiltinDriverOptions[K] : never };
}[BuiltinDriverName];

type DriverFactory = (options?: any) => Driver;

// Statically known loaders let bundlers (Nitro, Vite) see the drivers a Node server is likely to use;
// the rest are loaded by name at run time.
const LOADERS: Partial<Record<BuiltinDriverName, () => Promise<{ default: DriverFactory }>>> = {
  memory: () => import('unstorage/drivers/memory'),
  'lru-cache': () => import('unstorage/drivers/lru-cache'),
  lruCache: () => import('unstorage/drivers/lru-cache'),
  fs: () => import('unstorage/drivers/fs'),
  'fs-lite': () => import('unstorage/drivers/fs-lite'),
  fsLite: () => import('unstorage/drivers/fs-lite'),
  redis: () => import('unstorage/drivers/redis'),
};

/** Entries the `lru-cache` driver keeps when no `max` is given: a bounded store for development. */
export const DEFAULT_LRU_MAX = 10_000;

/**
 * Creates an unstorage `Storage` with the named built-in driver, loading the driver on demand.
 * The options are type-checked against the chosen driver. Without a type argument the `Storage` holds
 * {@link SessionData}, as 0.0.18 typed it.
 *
 * Two drivers get safer defaults for sessions: `lru-cache` keeps at most {@link DEFAULT_LRU_MAX} entries and
 * honours each record's TTL; `fs` and `fs-lite` write through a temporary file and a rename (a reader never
 * sees a half-written record), report failed deletes, and refuse a directory another live process uses.
 *
 * @example
 * const store = await createUnstorageStore({ type: 'redis', options: { url: 'redis://localhost:6379' } });
 */
export async function createUnstorageStore<T extends StorageValue = SessionData>(options: DriverOptions): Promise<Storage<T>> {
  const type = options?.type;
  const path = type ? (builtinDrivers as Record<string, string>)[type] : undefined;
  if (!path) {
    throw new SessionError(
      'STORAGE_ERROR',
      `createUnstorageStore(): unknown driver type ${JSON.stringify(type)}. ` +
        "Use one of unstorage's built-in drivers, e.g. 'redis', 'lru-cache', 'fs' or 'memory'.",
    );
  }
  let factory: DriverFactory;
  try {
    const loader = LOADERS[type] ?? (() => import(/* @vite-ignore */ path));
    factory = (await loader()).default;
  } catch (error) {
    throw new SessionError(
      'STORAGE_ERROR',
      `createUnstorageStore(): could not load the '${type}' driver (${path}). Install the packages it needs.`,
      { backend: type },
      { cause: error },
    );
  }
  let driver: Driver;
  try {
    const driverOptions = {
      ...(type === 'lru-cache' || type === 'lruCache' ? { max: DEFAULT_LRU_MAX } : {}),
      ...(options.options as object),
    };
    driver = factory(driverOptions);
  } catch (error) {
    throw new SessionError(
      'STORAGE_ERROR',
      `createUnstorageStore(): the '${type}' driver rejected its options: ${error instanceof Error ? error.message : String(error)}`,
      { backend: type },
      { cause: error },
    );
  }
  if (driver.name === 'lru-cache') driver = withLruTtl(driver);
  if (driver.name === 'fs' || driver.name === 'fs-lite') driver = await withSessionFs(driver);
  return createStorage<T>({ driver });
}

/** unstorage's lru-cache driver ignores per-item TTLs; pass them through so expired records stop costing memory. */
function withLruTtl(driver: Driver): Driver {
  type Cache = { set(k: string, v: unknown, o?: { ttl?: number }): void; purgeStale(): boolean; keys(): Iterable<string> };
  const cache = (driver as Driver & { getInstance: () => Cache }).getInstance();
  const set = (key: string, value: unknown, opts?: { ttl?: number }) => {
    cache.set(key, value, opts?.ttl ? { ttl: opts.ttl * 1000 } : undefined);
  };
  // The expiry sweep lists keys: drop stale entries first so their memory is released.
  const getKeys = () => {
    cache.purgeStale();
    return [...cache.keys()];
  };
  return { ...driver, setItem: set, setItemRaw: set, getKeys };
}
