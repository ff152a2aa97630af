// Every driver but Redis: plain unstorage calls, with compare-and-set made atomic within this process by the
// store's per-key lock, which callers hold around every write of a record (see SessionStore.locks).
import { normalizeKey, type Storage } from 'unstorage';
import { createKeyedMutex } from './keyed-mutex';
import { revocationKey } from './session-keys';
import { recordVersion } from './session-record';
import { REVOCATION_WINDOW_MS, USER_SET_PRUNE_AT, type SessionStore, type WriteResult } from './session-store';

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
 * Reads records straight from the driver mounted at `prefix`, skipping unstorage's key normalization and
 * async wrapping (saves 6 µs per read with the memory driver, bench/micro-write.mjs): record keys are generated,
 * already canonical, and a synchronous driver (memory, lru-cache)
 * then answers without a promise. Falls back to `getItemRaw` for a prefix that is not canonical or a storage
 * without mounts.
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

/**
 * The generic store. Record writes rely on the caller holding `locks.run(key)`; user index sets, shared by
 * the sessions of one user, are locked here under their own keys, always after the record's, never before.
 */
export function createGenericSessionStore(storage: Storage<any>, backend: string, prefix = 'sess:'): SessionStore {
  const locks = createKeyedMutex();
  const read = directReader(storage, prefix);
  const ttl = (ttlMs: number) => ({ ttl: Math.max(1, Math.ceil(ttlMs / 1000)) });

  const readSet = async (setKey: string): Promise<string[]> => {
    const raw = await storage.getItem(setKey);
    return Array.isArray(raw) ? raw.filter((k): k is string => typeof k === 'string') : [];
  };
  const writeSet = (setKey: string, members: string[]) => (members.length ? storage.setItem(setKey, members) : storage.removeItem(setKey));
  const changeSet = (setKey: string, change: (members: string[]) => string[] | Promise<string[]>) =>
    locks.run(setKey, async () => {
      const members = await readSet(setKey);
      const next = await change(members);
      if (next.length !== members.length || next.some((m, i) => m !== members[i])) await writeSet(setKey, next);
    });
  const addMember = async (members: string[], key: string) => {
    const next = [...members.filter((m) => m !== key), key];
    if (next.length < USER_SET_PRUNE_AT) return next;
    const alive = await Promise.all(next.map((m) => storage.hasItem(m)));
    return next.filter((_, i) => alive[i]);
  };
  const removeFromSet = (setKey: string, key: string) => changeSet(setKey, (members) => members.filter((m) => m !== key));

  return {
    backend,
    nativeTtl: NATIVE_TTL_DRIVERS.has(backend),
    locks,
    get: read,
    create: (key, value, ttlMs) => storage.setItemRaw(key, value, ttl(ttlMs)),
    async compareAndSet(key, expectedVersion, value, ttlMs, { renameTo, users } = {}): Promise<WriteResult> {
      const current = await read(key);
      // saves about 3 µs per write over parsing the whole record (bench/micro-write.mjs)
      const version = recordVersion(current);
      if (version === null) return { status: 'missing' };
      if (version !== expectedVersion) return { status: 'conflict', current };
      const target = renameTo ?? key;
      await storage.setItemRaw(target, value, ttl(ttlMs));
      if (target !== key) await storage.removeItem(key);
      if (users?.remove && (users.remove !== users.add || target !== key)) await removeFromSet(users.remove, key);
      if (users?.add) {
        const add = users.add;
        let refused = false;
        // In the index's step, where revocation records its time: either the revocation sees this key in the
        // index, or this bind sees the revocation.
        await changeSet(add, async (members) => {
          const revokedAt = users.bindCreatedAt === undefined ? undefined : await storage.getItem(revocationKey(add));
          refused = typeof revokedAt === 'number' && revokedAt >= users.bindCreatedAt!;
          return refused ? members : addMember(members, target);
        });
        if (refused) {
          await storage.removeItem(target);
          return { status: 'missing' };
        }
      }
      return { status: 'ok' };
    },
    async remove(key, userSet) {
      await storage.removeItem(key);
      if (userSet) await removeFromSet(userSet, key);
    },
    async revokeUser(userSet, exceptKey) {
      let doomed: string[] = [];
      await changeSet(userSet, async (members) => {
        await storage.setItem(revocationKey(userSet), Date.now(), ttl(REVOCATION_WINDOW_MS));
        doomed = members.filter((m) => m !== exceptKey);
        return members.filter((m) => m === exceptKey);
      });
      // Each record under its own lock, after the index lock is released: the lock order stays record, then index.
      for (const member of doomed) await locks.run(member, () => storage.removeItem(member));
      return doomed.length;
    },
  };
}
