// The SessionBackend contract itself, below the HTTP layer, on the generic store (memory, fs), on Redis and on SQL:
// the one conditional write (with rename and index changes), removal and revocation.
import type { Database } from 'db0';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getSessionBackend } from '../src/stores/get-backend';
import { movedMarkTime, serializeRecord } from '../src/core/record';
import { DEFAULT_MAX_SESSIONS_PER_USER, type SessionBackend, type SessionLimit } from '../src/core/backend';
import { fsStore, mariadbStore, memoryStore, postgresStore, redisStore, SQLITE_STORES, type StoreUnderTest } from './support/stores';

const record = (version: number, data: Record<string, unknown> = {}) =>
  serializeRecord({ version, data, createdAt: 1, updatedAt: 1, expiresAt: Date.now() + 60_000 });
const TTL = 60_000;

function describeStoreContract(name: string, create: () => Promise<StoreUnderTest>) {
  describe(`SessionBackend contract: ${name}`, () => {
    let underTest: StoreUnderTest;
    let store: SessionBackend;
    const members = async (set: string) => {
      if (store.backend === 'sql') {
        const database = (underTest.store.getMount('').driver.options as { database: Database }).database;
        // A row's expiry ends its place in the index (the sweep deletes it later).
        const rows = await database.prepare('SELECT id FROM analog_sessions WHERE user_set = ? AND expires_at > ?').all(set, Date.now());
        return (rows as { id: string }[]).map((row) => row.id).sort();
      }
      if (store.backend === 'redis') {
        type Client = { zrange(key: string, start: number, stop: number): Promise<string[]> };
        const client = (underTest.store.getMount('').driver as unknown as { getInstance(): Client }).getInstance();
        return (await client.zrange(set, 0, -1)).sort();
      }
      return ((await underTest.store.getItem(set)) as { key: string }[] | null)?.map((e) => e.key).sort() ?? [];
    };
    const version = async (key: string) => JSON.parse(String(await store.get(key))).version as number;
    const locked = <R>(key: string, task: () => R | Promise<R>) => store.locks.run(key, async () => task());

    beforeAll(async () => {
      underTest = await create();
      store = getSessionBackend(underTest.store, 'sess:');
    });
    afterAll(() => underTest?.dispose());
    beforeEach(async () => {
      await underTest.store.clear();
      await underTest.records?.clear();
    });

    it('writes when the version matches, reports a conflict with the current value, or a missing record', async () => {
      await store.create('sess:a', record(1), TTL);
      const written = await locked('sess:a', () => store.compareAndSet('sess:a', 1, record(2, { n: 2 }), TTL));
      expect(written).toEqual({ status: 'ok' });
      const conflict = await locked('sess:a', () => store.compareAndSet('sess:a', 1, record(2, { n: 9 }), TTL));
      expect(conflict.status).toBe('conflict');
      expect(JSON.parse(String((conflict as { current: unknown }).current)).data).toEqual({ n: 2 });
      const missing = await locked('sess:gone', () => store.compareAndSet('sess:gone', 1, record(2), TTL));
      expect(missing).toEqual({ status: 'missing' });
      expect(await store.get('sess:gone')).toBeFalsy();
      expect(await version('sess:a')).toBe(2);
    });

    it('renames in the same step, moving the key within its user index', async () => {
      await store.create('sess:old', record(1), TTL);
      await locked('sess:old', () => store.compareAndSet('sess:old', 1, record(2), TTL, { users: { add: 'sess:user:u' } }));
      expect(await members('sess:user:u')).toEqual(['sess:old']);
      const users = { add: 'sess:user:u', remove: 'sess:user:u' };
      const renamed = await locked('sess:old', () => store.compareAndSet('sess:old', 2, record(3), TTL, { renameTo: 'sess:new', users }));
      expect(renamed).toEqual({ status: 'ok' });
      // The old key holds a moved mark, no record: a write with the old cookie learns the session moved.
      expect(movedMarkTime(await store.get('sess:old'))).toBeGreaterThan(Date.now() - 60_000);
      expect(await version('sess:new')).toBe(3);
      expect(await members('sess:user:u')).toEqual(['sess:new']);
      expect(await locked('sess:old', () => store.compareAndSet('sess:old', 2, record(4), TTL))).toEqual({ status: 'moved' });
    });

    it('moves a session between two users, and removal drops it from its index', async () => {
      await store.create('sess:s', record(1), TTL);
      await locked('sess:s', () => store.compareAndSet('sess:s', 1, record(2), TTL, { users: { add: 'sess:user:a' } }));
      const users = { add: 'sess:user:b', remove: 'sess:user:a' };
      await locked('sess:s', () => store.compareAndSet('sess:s', 2, record(3), TTL, { users }));
      expect(await members('sess:user:a')).toEqual([]);
      expect(await members('sess:user:b')).toEqual(['sess:s']);
      await locked('sess:s', () => store.remove('sess:s', 'sess:user:b'));
      expect(await store.get('sess:s')).toBeFalsy();
      expect(await members('sess:user:b')).toEqual([]);
    });

    it('bounds a user index: trims expired keys, ends the sessions expiring first beyond the cap, expires itself', async () => {
      const bind = async (key: string, ttl: number) => {
        await store.create(key, record(1), ttl);
        await locked(key, () => store.compareAndSet(key, 1, record(2), ttl, { users: { add: 'sess:user:c' } }));
      };
      await bind('sess:short', 5);
      await new Promise((resolve) => setTimeout(resolve, 30));
      const keys = Array.from({ length: DEFAULT_MAX_SESSIONS_PER_USER + 5 }, (_, i) => `sess:c${String(i).padStart(3, '0')}`);
      // Increasing expiry: the first five expire first, so they are the ones a full index ends.
      for (const [i, key] of keys.entries()) await bind(key, TTL + i * 1000);
      expect(await members('sess:user:c')).toEqual(keys.slice(5));
      for (const key of keys.slice(0, 5)) expect(await store.get(key)).toBeFalsy();
      expect(await version(keys[5]!)).toBe(2);
      if (store.backend === 'redis') {
        type Client = { pttl(key: string): Promise<number> };
        const client = (underTest.store.getMount('').driver as unknown as { getInstance(): Client }).getInstance();
        const ttl = await client.pttl('sess:user:c');
        expect(ttl).toBeGreaterThan(TTL + (keys.length - 2) * 1000);
        expect(ttl).toBeLessThanOrEqual(TTL + (keys.length - 1) * 1000);
      }
      // Each bind beyond the cap names the session it ended.
      await store.create('sess:extra', record(1), TTL + 999_000);
      const extra = await locked('sess:extra', () =>
        store.compareAndSet('sess:extra', 1, record(2), TTL + 999_000, { users: { add: 'sess:user:c' } }),
      );
      expect(extra).toEqual({ status: 'ok', evicted: [keys[5]] });
    });

    it("refuses a bind beyond the limit under 'deny-new', writing nothing; re-scoring a bound session is not a bind", async () => {
      const limit = { max: 2, policy: 'deny-new' as const };
      const bind = async (key: string) => {
        await store.create(key, record(1), TTL);
        return locked(key, () => store.compareAndSet(key, 1, record(2), TTL, { users: { add: 'sess:user:d', bindCreatedAt: 1, limit } }));
      };
      expect(await bind('sess:d1')).toEqual({ status: 'ok' });
      expect(await bind('sess:d2')).toEqual({ status: 'ok' });
      expect(await bind('sess:d3')).toEqual({ status: 'full' });
      expect(await version('sess:d3')).toBe(1);
      expect(await members('sess:user:d')).toEqual(['sess:d1', 'sess:d2']);
      const users = { add: 'sess:user:d', remove: 'sess:user:d', limit };
      expect(await locked('sess:d1', () => store.compareAndSet('sess:d1', 2, record(3), TTL, { users }))).toEqual({ status: 'ok' });
      // Two binds at once for the last place: one wins.
      await store.remove('sess:d2', 'sess:user:d');
      const results = await Promise.all([bind('sess:d4'), bind('sess:d5')]);
      expect(results.map((r) => r.status).sort()).toEqual(['full', 'ok']);
    });

    /** Binds 12 new sessions of `name` to its user at the very same moment under `limit`, and their results. */
    const bindTwelveAtOnce = async (name: string, limit: SessionLimit) => {
      const keys = Array.from({ length: 12 }, (_, i) => `sess:${name}${i}`);
      for (const key of keys) await store.create(key, record(1), TTL);
      // Reads at once first, so that a store with several connections (PostgreSQL) has them all open.
      await Promise.all(keys.map((key) => store.get(key)));
      // Every compare-and-set at once, each under its own key's lock: on a SQL store they reach the database on
      // several connections together.
      const users = { add: `sess:user:${name}`, bindCreatedAt: 1, limit };
      return Promise.all(keys.map((key) => locked(key, () => store.compareAndSet(key, 1, record(2), TTL, { users }))));
    };

    it("admits exactly the limit's number of 12 binds of one user sent at the very same moment under 'deny-new'", async () => {
      const results = await bindTwelveAtOnce('race', { max: 3, policy: 'deny-new' });
      expect(results.filter((result) => result.status === 'ok')).toHaveLength(3);
      expect(results.filter((result) => result.status === 'full')).toHaveLength(9);
      expect(await members('sess:user:race')).toHaveLength(3);
    });

    it("never keeps more than the limit after 12 binds of one user at the very same moment under 'evict-oldest'", async () => {
      const results = await bindTwelveAtOnce('crowd', { max: 3, policy: 'evict-oldest' });
      expect(results.every((result) => result.status === 'ok')).toBe(true);
      // A login that a racing one evicted right after its bind is gone: fewer can remain, never more.
      const kept = (await members('sess:user:crowd')).length;
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThanOrEqual(3);
    });

    it('removes a record only while it has the given version, telling exactly one caller', async () => {
      await store.create('sess:x', record(3), TTL);
      expect(await store.removeIfVersion('sess:x', 2)).toBe(false);
      expect(await version('sess:x')).toBe(3);
      const removed = await Promise.all([store.removeIfVersion('sess:x', 3), store.removeIfVersion('sess:x', 3)]);
      expect(removed.sort()).toEqual([false, true]);
      expect(await store.get('sess:x')).toBeFalsy();
      await store.create('sess:y', record(1), TTL);
      expect(await store.remove('sess:y')).toBe(true);
      expect(await store.remove('sess:y')).toBe(false);
    });

    it("revokes a user's sessions but the one kept, and counts them", async () => {
      for (const key of ['sess:1', 'sess:2', 'sess:3']) {
        await store.create(key, record(1), TTL);
        await locked(key, () => store.compareAndSet(key, 1, record(2), TTL, { users: { add: 'sess:user:r' } }));
      }
      const revoked = await store.revokeUser('sess:user:r', 'sess:2');
      expect(revoked.map((r) => [r.member, JSON.parse(String(r.raw)).version]).sort()).toEqual([
        ['sess:1', 2],
        ['sess:3', 2],
      ]);
      expect(await store.get('sess:1')).toBeFalsy();
      expect(await version('sess:2')).toBe(2);
      expect(await store.get('sess:3')).toBeFalsy();
      expect(await members('sess:user:r')).toEqual(['sess:2']);
    });
    it('lists a user index with its records, marks the current one, and removes only members of that index', async () => {
      for (const key of ['sess:l1', 'sess:l2']) {
        await store.create(key, record(1), TTL);
        await locked(key, () => store.compareAndSet(key, 1, record(2, { key }), TTL, { users: { add: 'sess:user:l' } }));
      }
      await store.create('sess:other', record(1), TTL);
      const listed = (await store.listUser('sess:user:l', 'sess:l2')).sort((a, b) => a.member.localeCompare(b.member));
      expect(listed.map(({ raw, current }) => [JSON.parse(String(raw)).data.key, current])).toEqual([
        ['sess:l1', false],
        ['sess:l2', true],
      ]);
      expect(await store.listUser('sess:user:nobody')).toEqual([]);
      const other = listed[0]!.member.replace('l1', 'other');
      expect(await store.removeMember('sess:user:l', other)).toBe(false);
      expect(await version('sess:other')).toBe(1);
      expect(await store.removeMember('sess:user:l', listed[0]!.member)).toBe(true);
      expect(await store.get('sess:l1')).toBeFalsy();
      expect(await store.removeMember('sess:user:l', listed[0]!.member)).toBe(false);
      expect((await store.listUser('sess:user:l')).map(({ current }) => current)).toEqual([false]);
      expect(await members('sess:user:l')).toEqual(['sess:l2']);
    });
  });
}

describeStoreContract('memory', memoryStore);
describeStoreContract('fs', fsStore);
describeStoreContract('redis', redisStore);
// libsql everywhere; node-sqlite where Node has `node:sqlite`, better-sqlite3 on Node 22+ (absent on Node 20, not skipped: stores.ts).
for (const [connector, create] of SQLITE_STORES) describeStoreContract(`sqlite (${connector})`, create);
describeStoreContract('postgresql', postgresStore);
describeStoreContract('mariadb', mariadbStore);
