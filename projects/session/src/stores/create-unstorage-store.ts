import {
  builtinDrivers,
  createStorage,
  type BuiltinDriverName,
  type BuiltinDriverOptions,
  type Driver,
  type Storage,
  type StorageValue,
} from 'unstorage';
// The Workers build (scripts/build-session.mjs) swaps in './worker-driver-loaders', the drivers a Worker can bundle.
import { DRIVER_LOADERS, fallbackLoader } from './driver-loaders';
import { withSessionFs } from './fs';
import type { SessionData } from '../core/config';
import { messageOf, SessionError } from '../core/errors';

/** `{ type, options }` for every unstorage built-in driver, with the options type of that driver. */
export type DriverOptions = {
  [K in BuiltinDriverName]: {
    type: K;
    options?: K extends keyof BuiltinDriverOptions ? BuiltinDriverOptions[K] & (K extends 'db0' ? SqlStoreOptions : unknown) : never;
  };
}[BuiltinDriverName];

/** What the SQL store (a `db0` driver's database) reads from the driver's options, beside unstorage's own. */
export interface SqlStoreOptions {
  /** The table the sessions live in (created on first use; see sql/analog_sessions.sql). @default 'analog_sessions' */
  sessionTable?: string;
}

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
 * A `db0` driver over a PostgreSQL or SQLite database of db0 gets the SQL store: sessions in a table of their own
 * (`sessionTable`), conditional writes across instances (README, "SQL stores").
 *
 * @example
 * const store = await createUnstorageStore({ type: 'redis', options: { url: 'redis://localhost:6379' } });
 * const sql = await createUnstorageStore({ type: 'db0', options: { database: createDatabase(postgresql({ url })) } });
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
  const load = DRIVER_LOADERS[type] ?? fallbackLoader(type, path);
  let factory: (options?: any) => Driver;
  try {
    factory = (await load()).default;
  } catch (error) {
    const missing = missingPackage(error);
    throw new SessionError(
      'STORAGE_ERROR',
      missing
        ? `createUnstorageStore(): the '${type}' driver needs the '${missing}' package. Install it: npm install ${missing}`
        : `createUnstorageStore(): could not load the '${type}' driver (${path}): ${messageOf(error)}`,
      { backend: type, ...(missing ? { missing } : {}) },
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
  if (driver.name === 'lru-cache') driver = await withLruTtl(driver);
  if (driver.name === 'fs' || driver.name === 'fs-lite') driver = await withSessionFs(driver);
  return createStorage<T>({ driver });
}

/** unstorage's lru-cache driver ignores per-item TTLs; pass them through so expired records stop costing memory. */
async function withLruTtl(driver: Driver): Promise<Driver> {
  type Cache = { set(k: string, v: unknown, o?: { ttl?: number }): void; purgeStale(): boolean; keys(): Iterable<string> };
  // unstorage 2 (from 2.0.0-alpha.8) answers with a promise of the cache, unstorage 1 with the cache.
  const cache = await (driver as Driver & { getInstance: () => Cache | Promise<Cache> }).getInstance();
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

/**
 * The package a failed import names as missing (Node: "Cannot find package 'ioredis'", bundlers and Deno:
 * "Cannot find module 'ioredis'"; unstorage 2: "Cannot import `ioredis`"), reduced to its package name.
 */
function missingPackage(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const name = /Cannot (?:find (?:package|module)|import) ['"`]([^'"`]+)['"`]/.exec(e.message)?.[1];
    const bare = name && /^(?:@[\w.-]+\/)?[\w.-]+/.exec(name)?.[0];
    if (bare && bare !== 'unstorage') return bare;
  }
  return undefined;
}
