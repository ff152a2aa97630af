// The operations sessions need from a store, on top of any unstorage Storage. Redis gets atomic scripts
// (see redis-session-store.ts); every other driver gets this generic version, atomic within one process.
import { normalizeKey, type Storage } from 'unstorage';
import { createKeyedMutex } from './keyed-mutex';
import { parseRecord } from './session-record';
import { SessionError } from './session-error';
import { createRedisSessionStore, findRedisClient } from './redis-session-store';

/** Outcome of a conditional write. */
export type WriteResult = { status: 'ok' } | { status: 'conflict'; current: unknown } | { status: 'missing' };

/** Moves a session key between per-user index sets as part of a write. */
export interface UserSetChange {
  add?: string;
  remove?: string;
}

/** Session-level store operations. Every method may reject with a `SessionError` `STORAGE_ERROR`. */
export interface SessionStore {
  /** Driver name, used in error messages ('redis', 'memory', 'fs', ...). */
  readonly backend: string;
  /** True when conditional writes are atomic across processes (Redis), not only within this one. */
  readonly distributed: boolean;
  /** True when the driver expires keys itself, so no sweep is needed. */
  readonly nativeTtl: boolean;
  /** The raw record; synchronous when the driver answers synchronously (memory, lru-cache). */
  get(key: string): unknown;
  create(key: string, value: string, ttlMs: number): Promise<void>;
  /** Writes `value` if the stored record still has `expectedVersion` (compare-and-set). */
  replace(key: string, expectedVersion: number, value: string, ttlMs: number, users?: UserSetChange): Promise<WriteResult>;
  /** Regeneration: writes `value` under `newKey` and deletes `oldKey`, if `oldKey` still has `expectedVersion`. */
  move(oldKey: string, newKey: string, expectedVersion: number, value: string, ttlMs: number, userSet?: string): Promise<WriteResult>;
  remove(key: string, userSet?: string): Promise<void>;
  /** Deletes every session in `userSet` but `exceptKey`; returns how many were deleted. */
  revokeUser(userSet: string, exceptKey?: string): Promise<number>;
}

const stores = new WeakMap<object, SessionStore>();

/** The {@link SessionStore} for an unstorage Storage, created once per Storage object. */
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

const NATIVE_TTL_DRIVERS = new Set(['redis', 'cloudflare-kv-binding', 'cloudflare-kv-http', 'upstash', 'vercel-kv', 'deno-kv', 'deno-kv-node']);

interface Deadline {
  at: number;
  expire: () => void;
}

/** Pending store calls, checked by one shared timer instead of a timer per call (about 0.5 us each saved). */
const deadlines = new Set<Deadline>();
let sweeper: ReturnType<typeof setInterval> | undefined;
/** Resolution of store timeouts: a call times out between `timeout` and `timeout + 25` ms. */
const SWEEP_EVERY_MS = 25;

function sweepDeadlines(): void {
  const now = performance.now();
  for (const deadline of deadlines) {
    if (deadline.at <= now) {
      deadlines.delete(deadline);
      deadline.expire();
    }
  }
  if (deadlines.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

/** Rejects with `STORAGE_ERROR` when `operation` fails or takes longer than `timeoutMs`. */
export function withStoreTimeout<R>(backend: string, operation: string, timeoutMs: number, work: () => Promise<R>): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const deadline: Deadline = {
      at: performance.now() + timeoutMs,
      expire: () =>
        reject(
          new SessionError('STORAGE_ERROR', `${operation}: the ${backend} store did not answer within ${timeoutMs} ms. Check that it is reachable, or raise config.timeout.`, {
            backend,
            operation,
            timeoutMs,
          }),
        ),
    };
    deadlines.add(deadline);
    if (!sweeper) {
      sweeper = setInterval(sweepDeadlines, SWEEP_EVERY_MS);
      (sweeper as { unref?: () => void }).unref?.();
    }
    let pending: Promise<R>;
    try {
      pending = work();
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => {
        deadlines.delete(deadline);
        resolve(value);
      },
      (error: unknown) => {
        deadlines.delete(deadline);
        reject(
          error instanceof SessionError
            ? error
            : new SessionError('STORAGE_ERROR', `${operation}: the ${backend} store failed: ${error instanceof Error ? error.message : String(error)}`, { backend, operation }, { cause: error }),
        );
      },
    );
  });
}

/**
 * Reads records straight from the driver mounted at `prefix`, skipping unstorage's key normalization and
 * async wrapping (about 2 us a read): record keys are generated, already canonical, and a synchronous
 * driver (memory, lru-cache) then answers without a promise. Falls back to `getItemRaw` for a prefix that
 * is not canonical or a storage without mounts.
 */
function directReader(storage: Storage<any>, prefix: string): (key: string) => unknown {
  const fallback = (key: string) => storage.getItemRaw(key);
  const probe = `${prefix}0`;
  if (normalizeKey(probe) !== probe || typeof storage.getMount !== 'function') return fallback;
  const { base, driver } = storage.getMount(probe);
  if (!driver || !probe.startsWith(base)) return fallback;
  const get = driver.getItemRaw ?? driver.getItem;
  return (key) => (key.startsWith(prefix) ? get.call(driver, key.slice(base.length), {}) : storage.getItemRaw(key));
}

/** Upper bound of entries a per-user index keeps before it drops the keys of sessions that are gone. */
const USER_SET_PRUNE_AT = 32;

/**
 * The generic store: plain unstorage calls, with compare-and-set made atomic by per-key locks in this process.
 * Locks are always taken user sets first (sorted), record keys second, so no two operations can deadlock.
 */
export function createGenericSessionStore(storage: Storage<any>, backend: string, prefix = 'sess:'): SessionStore {
  const locks = createKeyedMutex();
  const read = directReader(storage, prefix);
  const ttl = (ttlMs: number) => ({ ttl: Math.max(1, Math.ceil(ttlMs / 1000)) });

  const withLocks = <R>(sets: (string | undefined)[], key: string, task: () => Promise<R>): Promise<R> => {
    const order = [...new Set(sets.filter((s): s is string => !!s))].sort();
    order.push(key);
    const acquire = (i: number): Promise<R> => (i === order.length ? task() : locks.run(order[i], () => acquire(i + 1)));
    return acquire(0);
  };

  const readSet = async (setKey: string): Promise<string[]> => {
    const raw = await storage.getItem(setKey);
    return Array.isArray(raw) ? raw.filter((k): k is string => typeof k === 'string') : [];
  };
  const writeSet = (setKey: string, members: string[]) =>
    members.length ? storage.setItem(setKey, members) : storage.removeItem(setKey);
  const addToSet = async (setKey: string, key: string) => {
    const members = (await readSet(setKey)).filter((m) => m !== key);
    members.push(key);
    if (members.length < USER_SET_PRUNE_AT) return writeSet(setKey, members);
    const alive = await Promise.all(members.map((m) => storage.hasItem(m)));
    return writeSet(setKey, members.filter((_, i) => alive[i]));
  };
  const removeFromSet = async (setKey: string, key: string) => {
    const members = await readSet(setKey);
    if (members.includes(key)) await writeSet(setKey, members.filter((m) => m !== key));
  };

  const checkVersion = async (key: string, expectedVersion: number): Promise<WriteResult | null> => {
    const current = await read(key);
    const record = parseRecord(current);
    if (!record) return { status: 'missing' };
    return record.version === expectedVersion ? null : { status: 'conflict', current };
  };

  return {
    backend,
    distributed: false,
    nativeTtl: NATIVE_TTL_DRIVERS.has(backend),
    get: read,
    create: (key, value, ttlMs) => storage.setItemRaw(key, value, ttl(ttlMs)),
    replace: (key, expectedVersion, value, ttlMs, users) =>
      withLocks([users?.add, users?.remove], key, async () => {
        const refused = await checkVersion(key, expectedVersion);
        if (refused) return refused;
        await storage.setItemRaw(key, value, ttl(ttlMs));
        if (users?.remove && users.remove !== users.add) await removeFromSet(users.remove, key);
        if (users?.add) await addToSet(users.add, key);
        return { status: 'ok' };
      }),
    move: (oldKey, newKey, expectedVersion, value, ttlMs, userSet) =>
      withLocks([userSet], oldKey, async () => {
        const refused = await checkVersion(oldKey, expectedVersion);
        if (refused) return refused;
        await storage.setItemRaw(newKey, value, ttl(ttlMs));
        await storage.removeItem(oldKey);
        if (userSet) {
          await removeFromSet(userSet, oldKey);
          await addToSet(userSet, newKey);
        }
        return { status: 'ok' };
      }),
    remove: (key, userSet) =>
      withLocks([userSet], key, async () => {
        await storage.removeItem(key);
        if (userSet) await removeFromSet(userSet, key);
      }),
    revokeUser: (userSet, exceptKey) =>
      locks.run(userSet, async () => {
        const members = await readSet(userSet);
        const doomed = members.filter((m) => m !== exceptKey);
        for (const member of doomed) await locks.run(member, () => storage.removeItem(member));
        await writeSet(userSet, exceptKey && members.includes(exceptKey) ? [exceptKey] : []);
        return doomed.length;
      }),
  };
}
