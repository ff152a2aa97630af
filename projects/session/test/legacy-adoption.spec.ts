// Adoption of 0.0.x sessions (see upstream-migration.spec.ts): never of values the app signed itself with
// signCookie, and bound to their user (legacySessions.userOf) so that revocation reaches them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signCookie, type SessionConfig, type SessionLifecycleEvent } from '../src/index';
import { redisClusterStore } from './support/cluster-store';
import { Client, serve, type Served } from './support/http';
import { COOKIE, createSessionApp, SECRET } from './support/session-app';
import { recordKeys } from './support/describe-session-store';
import { memoryStore, redisStore, SQLITE_STORES, type StoreUnderTest } from './support/stores';
import { UPSTREAM_VERSIONS, writeUpstreamSession } from './support/upstream-fixtures';

const userOf = (data: Record<string, unknown>) => (data['user'] as { id?: string } | undefined)?.id;

for (const [backend, create] of [
  ['memory', memoryStore],
  ['redis', redisStore],
  ['redis cluster', redisClusterStore],
  // libsql everywhere; node-sqlite where Node has `node:sqlite`, better-sqlite3 on Node 22+ (absent on Node 20, not skipped: stores.ts).
  ...SQLITE_STORES.map(([connector, create]) => [`sqlite (${connector})`, create] as const),
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
    beforeEach(async () => {
      await underTest.store.clear();
      await underTest.records?.clear();
    });

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

    it('reports an adopted session as created, then bound to the user userOf names (lifecycle events)', async () => {
      const seen: SessionLifecycleEvent[] = [];
      const client = await start({ legacySessions: { userOf }, onEvent: (event) => void seen.push(event) });
      const legacy = await writeUpstreamSession(underTest.store, UPSTREAM_VERSIONS[0]!, { user: { id: 'u-9' } }, { secrets: [SECRET] });
      client.cookies.set(COOKIE, legacy.cookie);
      expect((await client.json('/session')).user).toBe('u-9');
      const [handle] = ((await client.json('/sessions')) as { handle: string }[]).map((s) => s.handle);
      expect(seen.map((e) => [e.type, e.session, e.userId])).toEqual([
        ['created', handle, null],
        ['bound', handle, 'u-9'],
      ]);
    });

    for (const version of UPSTREAM_VERSIONS) {
      it(`${version}: with userOf, the adopted session is bound to its user, listed, and ended by revokeUserSessions`, async () => {
        const client = await start({ legacySessions: { prefixes: ['', 'sess:'], userOf } });
        const legacy = await writeUpstreamSession(underTest.store, version, { user: { id: 'u-7' }, cart: 2 }, { secrets: [SECRET] });
        client.cookies.set(COOKIE, legacy.cookie);
        expect(await client.json('/session')).toEqual({ data: { user: { id: 'u-7' }, cart: 2 }, user: 'u-7' });
        expect(await client.json('/sessions')).toEqual([expect.objectContaining({ current: true })]);
        const admin = await start();
        expect(await admin.json('/revoke', { body: { user: 'u-7' } })).toEqual({ revoked: 1 });
        expect(await client.json('/session')).toEqual({ data: {}, user: null });
      });
    }

    it('with userOf, a 0.0.x session of a user revoked in the last minute is refused, and its old key deleted', async () => {
      const client = await start({ legacySessions: { userOf } });
      const legacy = await writeUpstreamSession(underTest.store, '0.0.24', { user: { id: 'u-8' } }, { secrets: [SECRET] });
      // "Log out everywhere" after the upgrade, before the stolen 0.0.x cookie comes back.
      const admin = await start();
      expect(await admin.json('/revoke', { body: { user: 'u-8' } })).toEqual({ revoked: 0 });
      client.cookies.set(COOKIE, legacy.cookie);
      expect(await client.json('/session')).toEqual({ data: {}, user: null });
      expect(await underTest.store.hasItem(legacy.key)).toBe(false);
      // No adopted record left behind: only the user's index and revocation mark.
      expect(await recordKeys(underTest)).toEqual([]);
    });

    it('without userOf, the adopted session stays anonymous: revocation does not reach it', async () => {
      const client = await start();
      const legacy = await writeUpstreamSession(underTest.store, '0.0.24', { user: { id: 'u-9' } }, { secrets: [SECRET] });
      client.cookies.set(COOKIE, legacy.cookie);
      expect(await client.json('/session')).toEqual({ data: { user: { id: 'u-9' } }, user: null });
      expect(await (await start()).json('/revoke', { body: { user: 'u-9' } })).toEqual({ revoked: 0 });
      expect(await client.json('/session')).toEqual({ data: { user: { id: 'u-9' } }, user: null });
    });
  });
}
