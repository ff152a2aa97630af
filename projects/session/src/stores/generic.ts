// Every driver but Redis: plain unstorage calls, with compare-and-set made atomic within this process by the
// store's per-key lock, which callers hold around every write of a record (see SessionBackend.locks).
import type { Storage } from 'unstorage';
import { isPending } from '../core/internal/is-pending';
import { revocationKey } from '../core/keys';
import { movedMark, movedMarkTime, MOVED_MARK_MS, recordVersion } from '../core/record';
import { prefixRoute } from './key-route';
import {
  REVOCATION_WINDOW_MS,
  DEFAULT_SESSION_LIMIT,
  createBackendState,
  type CompareAndSetOptions,
  type DeletedMember,
  type SessionBackend,
  type WriteResult,
} from '../core/backend';

const NATIVE_TTL_DRIVERS = new Set([
  'redis',
  'cloudflare-kv-binding',
  'cloudflare-kv-http',
  'upstash',
  'vercel-kv',
  'deno-kv',
  'deno-kv-node',
]);

/**
 * Reads records straight from the driver the Storage sends them to, skipping unstorage's key normalization and
 * async wrapping (figure in bench/README.md): record keys are generated, already canonical, and a synchronous
 * driver (memory, lru-cache) then answers without a promise. The route is proven with a probe key (key-route.ts),
 * so a prefixed Storage (Nitro's `useStorage('sessions')`) reads from its own mount; without a proof, and for keys
 * outside `prefix`, it is `getItemRaw`.
 */
function directReader(storage: Storage<any>, prefix: string): (key: string) => unknown {
  const fallback = (key: string) => storage.getItemRaw(key);
  const route = prefixRoute(storage, prefix);
  if (!route) return fallback;
  const { driver, head } = route;
  const get = driver.getItemRaw ?? driver.getItem;
  return (key) => (key.startsWith(prefix) ? get.call(driver, head + key.slice(prefix.length), {}) : fallback(key));
}

/**
 * Writes records straight to the driver {@link directReader} reads them from, under the same keys (figure in
 * bench/README.md). unstorage's `watch()` listeners then do not hear of
 * record writes. Falls back to `setItemRaw` where directReader does, and for a driver without one.
 */
function directWriter(storage: Storage<any>, prefix: string): (key: string, value: string, options: { ttl: number }) => unknown {
  const fallback = (key: string, value: string, options: { ttl: number }) => storage.setItemRaw(key, value, options);
  const route = prefixRoute(storage, prefix);
  const set = route?.driver.setItemRaw;
  if (!route || !set) return fallback;
  const { driver, head } = route;
  return (key, value, options) =>
    key.startsWith(prefix) ? set.call(driver, head + key.slice(prefix.length), value, options) : fallback(key, value, options);
}

const OK: WriteResult = Object.freeze({ status: 'ok' });
const MISSING: WriteResult = Object.freeze({ status: 'missing' });
const MOVED: WriteResult = Object.freeze({ status: 'moved' });

/**
 * The generic store. Record writes rely on the caller holding `locks.run(key)`; user index sets, shared by
 * the sessions of one user, are locked here under their own keys, always after the record's, never before.
 */
export function createGenericBackend(storage: Storage<any>, backend: string, prefix = 'sess:'): SessionBackend {
  const state = createBackendState();
  const { locks } = state;
  const read = directReader(storage, prefix);
  const write = directWriter(storage, prefix);
  const ttl = (ttlMs: number) => ({ ttl: Math.max(1, Math.ceil(ttlMs / 1000)) });

  // A user's index: record keys with their expiry (ms). Written with the TTL of its last session.
  type Entry = { key: string; expiresAt: number };
  const readSet = async (setKey: string): Promise<Entry[]> => {
    const raw = await storage.getItem(setKey);
    if (!Array.isArray(raw)) return [];
    // Plain keys: the index of earlier releases, whose expiry is unknown here; kept for a day, then trimmed.
    const legacy = Date.now() + 86_400_000;
    return raw.flatMap((m): Entry[] =>
      typeof m === 'string'
        ? [{ key: m, expiresAt: legacy }]
        : m && typeof m.key === 'string' && typeof m.expiresAt === 'number'
          ? [m]
          : [],
    );
  };
  const writeSet = (setKey: string, entries: Entry[]) =>
    entries.length
      ? storage.setItem(setKey, entries, ttl(Math.max(...entries.map((e) => e.expiresAt)) - Date.now()))
      : storage.removeItem(setKey);
  const changeSet = (setKey: string, change: (entries: Entry[]) => Entry[] | Promise<Entry[]>) =>
    locks.run(setKey, async () => {
      const entries = await readSet(setKey);
      const next = await change(entries);
      if (next.length !== entries.length || next.some((e, i) => e !== entries[i])) await writeSet(setKey, next);
    });
  /** Trims by expiry, adds or re-scores `key`, and returns the keys evicted beyond the cap (expiring first). */
  const addMember = (entries: Entry[], key: string, expiresAt: number, evicted: string[], max: number) => {
    const now = Date.now();
    const next = entries.filter((e) => e.key !== key && e.expiresAt > now);
    next.push({ key, expiresAt });
    next.sort((a, b) => a.expiresAt - b.expiresAt);
    while (next.length > max) {
      const at = next[0]!.key === key ? 1 : 0;
      evicted.push(next.splice(at, 1)[0]!.key);
    }
    return next;
  };
  const removeFromSet = (setKey: string, key: string) => changeSet(setKey, (entries) => entries.filter((e) => e.key !== key));

  /** compareAndSet once the current record is read. */
  const setIfVersion = (
    key: string,
    current: unknown,
    expectedVersion: number,
    value: string,
    ttlMs: number,
    { renameTo, users }: CompareAndSetOptions,
  ): WriteResult | Promise<WriteResult> => {
    // The version alone, not a parse of the whole record (figure in bench/README.md).
    const version = recordVersion(current);
    if (version === null) return movedMarkTime(current) === undefined ? MISSING : MOVED;
    if (version !== expectedVersion) return { status: 'conflict', current };
    const target = renameTo ?? key;
    const written = write(target, value, ttl(ttlMs));
    if (target === key && !users) return isPending(written) ? Promise.resolve(written).then(() => OK) : OK;
    return (async () => {
      if (isPending(written)) await written;
      if (target !== key) await write(key, movedMark(Date.now()), ttl(MOVED_MARK_MS));
      if (users?.remove && (users.remove !== users.add || target !== key)) await removeFromSet(users.remove, key);
      const evicted: string[] = [];
      if (users?.add) {
        const add = users.add;
        let refused = false;
        const { max, policy } = users.limit ?? DEFAULT_SESSION_LIMIT;
        // In the index's step, where revocation records its time: either the revocation sees this key in the
        // index, or this bind sees the revocation.
        await changeSet(add, async (entries) => {
          const revokedAt = users.bindCreatedAt === undefined ? undefined : await storage.getItem(revocationKey(add));
          refused = typeof revokedAt === 'number' && revokedAt >= users.bindCreatedAt!;
          return refused ? entries : addMember(entries, target, Date.now() + ttlMs, evicted, policy === 'deny-new' ? Infinity : max);
        });
        // After the index lock, each under its record's lock (lock order: record, then index).
        for (const old of evicted) await locks.run(old, () => storage.removeItem(old));
        if (refused) {
          await storage.removeItem(target);
          return MISSING;
        }
      }
      return evicted.length ? { status: 'ok', evicted } : OK;
    })();
  };

  /**
   * The 'deny-new' check of a bind, before anything is written: whether the user of `users.add` has `max` live
   * sessions besides `key`. Checked and written under the index lock by compareAndSet (denyFull).
   */
  const isFull = async (users: CompareAndSetOptions['users'], key: string): Promise<boolean> => {
    if (!users?.add || users.bindCreatedAt === undefined || users.limit?.policy !== 'deny-new') return false;
    const now = Date.now();
    const live = (await readSet(users.add)).filter((e) => e.key !== key && e.expiresAt > now);
    return live.length >= users.limit.max;
  };
  const FULL: WriteResult = Object.freeze({ status: 'full' });

  return {
    backend,
    nativeTtl: NATIVE_TTL_DRIVERS.has(backend),
    ...state,
    get: read,
    create: async (key, value, ttlMs) => {
      await write(key, value, ttl(ttlMs));
    },
    compareAndSet(key, expectedVersion, value, ttlMs, options = {}) {
      if (options.users?.limit?.policy === 'deny-new' && options.users.bindCreatedAt !== undefined) {
        // Counted and written under the index's lock, so two logins at once cannot both take the last place.
        const add = options.users.add!;
        return locks.run(`${add}:bind`, async () => {
          if (await isFull(options.users, key)) return FULL;
          const raw = await read(key);
          return setIfVersion(key, raw, expectedVersion, value, ttlMs, options);
        });
      }
      // A synchronous driver (memory, lru-cache) answers a plain write without any promise or tick.
      const current = read(key);
      return isPending(current)
        ? Promise.resolve(current).then((raw) => setIfVersion(key, raw, expectedVersion, value, ttlMs, options))
        : setIfVersion(key, current, expectedVersion, value, ttlMs, options);
    },
    memberName: (key) => key,
    async remove(key, userSet) {
      const existed = recordVersion(await read(key)) !== null;
      await storage.removeItem(key);
      if (userSet) await removeFromSet(userSet, key);
      return existed;
    },
    removeIfVersion: (key, version, userSet) =>
      locks.run(key, async () => {
        if (recordVersion(await read(key)) !== version) return false;
        await storage.removeItem(key);
        if (userSet) await removeFromSet(userSet, key);
        return true;
      }),
    async revokeUser(userSet, exceptKey) {
      let doomed: string[] = [];
      await changeSet(userSet, async (entries) => {
        await storage.setItem(revocationKey(userSet), Date.now(), ttl(REVOCATION_WINDOW_MS));
        doomed = entries.filter((e) => e.key !== exceptKey).map((e) => e.key);
        return entries.filter((e) => e.key === exceptKey);
      });
      // Each record under its own lock, after the index lock is released: the lock order stays record, then index.
      const revoked: DeletedMember[] = [];
      for (const member of doomed) {
        await locks.run(member, async () => {
          revoked.push({ member, raw: (await read(member)) ?? null });
          await storage.removeItem(member);
        });
      }
      return revoked;
    },
    async listUser(userSet, currentKey) {
      const now = Date.now();
      const live = (await readSet(userSet)).filter((e) => e.expiresAt > now);
      return Promise.all(live.map(async ({ key }) => ({ member: key, raw: (await read(key)) ?? null, current: key === currentKey })));
    },
    async pruneUserSet(userSet, now) {
      let deleted = 0;
      await changeSet(userSet, (entries) => {
        const live = entries.filter((e) => e.expiresAt > now);
        if (entries.length > 0 && live.length === 0) deleted++;
        return live;
      });
      return deleted;
    },
    async removeMember(userSet, member) {
      if (!(await readSet(userSet)).some((e) => e.key === member)) return false;
      const existed = await locks.run(member, async () => {
        const found = (await read(member)) != null;
        if (found) await storage.removeItem(member);
        return found;
      });
      await removeFromSet(userSet, member);
      return existed;
    },
  };
}
