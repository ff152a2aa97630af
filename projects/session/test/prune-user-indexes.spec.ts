// Stores without native TTL (memory, fs) keep a user's index and revocation time until something deletes
// them: the sweep does, once every session in the index expired (issue 11, item 2: the index itself expires).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneExpiredSessions, revokeUserSessions } from '../src/index';
import { Client, serve, type Served } from './support/http';
import { createSessionApp } from './support/session-app';
import { fsStore, memoryStore, type StoreUnderTest } from './support/stores';

for (const [name, create] of [
  ['memory', memoryStore],
  ['fs', fsStore],
] as const) {
  describe(`pruneExpiredSessions and user indexes: ${name}`, () => {
    let underTest: StoreUnderTest;
    let server: Served;
    beforeAll(async () => {
      underTest = await create();
      server = await serve(createSessionApp(underTest.store).app);
    });
    afterAll(async () => {
      await server.close();
      await underTest.dispose();
    });

    it('deletes indexes whose sessions all expired and old revocation times, and keeps live ones', async () => {
      const keys = () => underTest.store.getKeys('sess');
      for (const user of ['ada', 'ada', 'grace']) await new Client(server.url).json('/login', { body: { user } });
      await revokeUserSessions(underTest.store, 'grace');
      const indexes = (await keys()).filter((key) => key.includes('user'));
      // ada's index and grace's revocation time (revocation emptied, so deleted, her index)
      expect(indexes).toHaveLength(2);

      expect(await pruneExpiredSessions(underTest.store)).toBe(0);
      expect(await keys()).toHaveLength(2 + indexes.length);

      // A day later (the default maxAge): every session and index is gone, and the revocation time too.
      expect(await pruneExpiredSessions(underTest.store, { now: Date.now() + 86_400_000 + 1000 })).toBe(2 + indexes.length);
      expect(await keys()).toEqual([]);
    });
  });
}
