// Adoption of 0.0.x sessions (see upstream-migration.spec.ts) against what it must never take: values the app
// signed itself with signCookie.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signCookie, type SessionConfig } from '../src/index';
import { Client, serve, type Served } from './support/http';
import { COOKIE, createSessionApp, SECRET } from './support/session-app';
import { memoryStore, redisStore, type StoreUnderTest } from './support/stores';

for (const [backend, create] of [
  ['memory', memoryStore],
  ['redis', redisStore],
] as const) {
  describe(`legacy adoption on ${backend}`, () => {
    let underTest: StoreUnderTest;
    const servers: Served[] = [];
    const start = async (overrides: Partial<SessionConfig> = {}) => {
      const served = await serve(createSessionApp(underTest.store, overrides).app);
      servers.push(served);
      return new Client(served.url);
    };

    beforeAll(async () => {
      underTest = await create();
    });
    afterAll(async () => {
      for (const served of servers) await served.close();
      await underTest.dispose();
    });
    beforeEach(() => underTest.store.clear());

    it('never takes an app value signed with signCookie (an invite link) for a 0.0.x session cookie', async () => {
      const client = await start();
      // 40 invite links: before the signature covered a context, about 10 of them were adopted.
      for (let i = 0; i < 40; i++) {
        const invite = randomUUID();
        await underTest.store.setItem(invite, { invitedBy: 'admin', role: 'editor' });
        client.cookies.clear();
        client.cookies.set(COOKIE, await signCookie(invite, SECRET));
        expect(await client.json('/session')).toEqual({ data: {}, user: null });
        expect(await underTest.store.getItem(invite)).toEqual({ invitedBy: 'admin', role: 'editor' });
      }
    });
  });
}
