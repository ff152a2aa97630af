// Upgrading from the published releases: sessions exactly as 0.0.3, 0.0.18 and 0.0.24 left them (cookie, key
// layout, stored value; see support/upstream-fixtures.ts) on a real Redis and on fs, read and written by ours.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, defineEventHandler } from 'h3';
import { pruneExpiredSessions, UnstorageSessionStore, useSession, type SessionConfig } from '../src/index';
import { Client, serve, type Served } from './support/http';
import { COOKIE, createSessionApp, SECRET } from './support/session-app';
import { fsStore, redisStore, type StoreUnderTest } from './support/stores';
import { UPSTREAM_VERSIONS, upstreamSign, writeUpstreamSession, type UpstreamVersion } from './support/upstream-fixtures';

const OUR_COOKIE = /^s:[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{43}$/;
const OLD_SECRET = 'old-secret-of-the-published-release-0123';
const DATA = { userId: 'u-42', auth: { isAuthenticated: true, accessToken: 'tok' }, visits: 3 };

async function ourRecordKeys(underTest: StoreUnderTest): Promise<string[]> {
  return (await underTest.store.getKeys('sess')).filter((key) => /^sess:[0-9a-f]{64}$/.test(key));
}

for (const [backend, create] of [
  ['redis', redisStore],
  ['fs', fsStore],
] as const) {
  describe(`upgrading from the published releases on ${backend}`, () => {
    let underTest: StoreUnderTest;
    const servers: Served[] = [];

    const start = async (overrides: Partial<SessionConfig> = {}) => {
      // The upgraded app keeps the secret array it had: whichever end signed, every secret verifies.
      const served = await serve(createSessionApp(underTest.store, { secret: [SECRET, OLD_SECRET], ...overrides }).app);
      servers.push(served);
      return new Client(served.url);
    };
    /** A browser holding the cookie `version` set, signed with the secrets the app used then. */
    const legacyBrowser = async (version: UpstreamVersion, client: Client, data: Record<string, unknown> = DATA, prefix?: string) => {
      // Ours signs with the first secret, 0.0.3 signed with the last: both orders are verified.
      const legacy = await writeUpstreamSession(underTest.store, version, data, { secrets: [SECRET, OLD_SECRET], prefix });
      client.cookies.set(COOKIE, legacy.cookie);
      return legacy;
    };

    beforeAll(async () => {
      underTest = await create();
    });
    afterAll(async () => {
      for (const served of servers) await served.close();
      await underTest.dispose();
    });
    beforeEach(() => underTest.store.clear());

    for (const version of UPSTREAM_VERSIONS) {
      it(`${version}: adopts the session once, under a hashed key, and the user stays logged in`, async () => {
        const client = await start();
        const legacy = await legacyBrowser(version, client);
        expect(await underTest.store.getItem(legacy.key)).toEqual(DATA);

        expect(await client.json('/session')).toEqual({ data: DATA, user: null });
        const ours = client.cookies.get(COOKIE)!;
        expect(ours).toMatch(OUR_COOKIE);
        expect(client.lastSetCookies[0].attributes).toMatchObject({ httponly: true, secure: true, path: '/' });
        expect(await underTest.store.hasItem(legacy.key)).toBe(false);
        const keys = await ourRecordKeys(underTest);
        expect(keys).toHaveLength(1);
        expect(await underTest.store.getItemRaw(keys[0])).not.toContain(legacy.id);

        // From now on it is an ordinary session of ours: read, written, no second adoption.
        expect(await client.json('/inc', { method: 'POST' })).toMatchObject({ ...DATA, n: 1 });
        expect(await client.json('/session')).toEqual({ data: { ...DATA, n: 1 }, user: null });
        expect(client.cookies.get(COOKIE)).toBe(ours);
        expect(await ourRecordKeys(underTest)).toEqual(keys);
      });

      it(`${version}: a tampered or unknown cookie is never adopted`, async () => {
        const client = await start();
        const legacy = await legacyBrowser(version, client);
        const [head, signature] = legacy.cookie.split('.');
        const flipped = `${head}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
        client.cookies.set(COOKIE, flipped);
        expect(await client.json('/session')).toEqual({ data: {}, user: null });
        expect(client.lastSetCookies).toEqual([]);

        // Signed by a secret this app does not have.
        client.cookies.set(COOKIE, upstreamSign(legacy.id, 'some-other-apps-secret-0123456789abcdef'));
        expect(await client.json('/session')).toEqual({ data: {}, user: null });

        // Validly signed, but its record is gone: nothing to adopt, nothing created.
        const orphan = version === '0.0.18' ? 'V1StGXR8_Z5jdHi6B-myT' : '0f8fad5b-d9cb-469f-a165-70867728950e';
        client.cookies.set(COOKIE, upstreamSign(orphan, SECRET));
        expect(await client.json('/session')).toEqual({ data: {}, user: null });

        expect(await underTest.store.getItem(legacy.key)).toEqual(DATA);
        expect(await ourRecordKeys(underTest)).toEqual([]);
      });

      it(`${version}: legacySessions: false leaves it alone`, async () => {
        const client = await start({ legacySessions: false });
        const legacy = await legacyBrowser(version, client);
        expect(await client.json('/session')).toEqual({ data: {}, user: null });
        expect(await underTest.store.getItem(legacy.key)).toEqual(DATA);
        expect(await ourRecordKeys(underTest)).toEqual([]);
      });
    }

    it('parallel requests carrying the old cookie all get the one adopted session', async () => {
      const client = await start();
      await legacyBrowser('0.0.24', client);
      const tabs = Array.from({ length: 6 }, () => client.clone());
      const answers = await Promise.all(tabs.map((tab) => tab.json('/session')));
      for (const answer of answers) expect(answer).toEqual({ data: DATA, user: null });
      expect(new Set(tabs.map((tab) => tab.cookies.get(COOKIE))).size).toBe(1);
      expect(await ourRecordKeys(underTest)).toHaveLength(1);
    });

    it('0.0.3 with its own store prefix, named in legacySessions.prefixes', async () => {
      const client = await start({ legacySessions: { prefixes: ['app-sess:'] } });
      const legacy = await legacyBrowser('0.0.3', client, { isAuthenticated: true }, 'app-sess');
      expect(legacy.key).toBe(`app-sess:${legacy.id}`);
      expect(await client.json('/session')).toEqual({ data: { isAuthenticated: true }, user: null });
      expect(await underTest.store.hasItem(legacy.key)).toBe(false);
    });

    it('0.0.3 code left unchanged adopts what 0.0.3 stored (its prefix, its last-secret signing)', async () => {
      const sessionStore = new UnstorageSessionStore(underTest.store, { ttl: 3600, prefix: 'app-sess' });
      const secret = [OLD_SECRET, SECRET];
      const app = createApp().use(
        defineEventHandler(async (event) => {
          await useSession(event, { store: sessionStore, secret });
          return { data: event.context.sessionHandler.data };
        }),
      );
      const served = await serve(app);
      servers.push(served);
      const client = new Client(served.url);
      const legacy = await writeUpstreamSession(underTest.store, '0.0.3', DATA, { secrets: secret, prefix: 'app-sess' });
      client.cookies.set(COOKIE, legacy.cookie);
      expect(await client.json('/')).toEqual({ data: DATA });
      expect(client.cookies.get(COOKIE)).toMatch(OUR_COOKIE);
      expect(await underTest.store.hasItem(legacy.key)).toBe(false);
      expect(await underTest.store.getKeys('app-sess')).toEqual([expect.stringMatching(/^app-sess:[0-9a-f]{64}$/)]);
      expect(await client.json('/')).toEqual({ data: DATA });
    });

    it('the expiry sweep leaves sessions waiting to be adopted alone', async () => {
      const legacy = await writeUpstreamSession(underTest.store, '0.0.3', DATA, { secrets: [SECRET] });
      await pruneExpiredSessions(underTest.store, { now: Date.now() + 365 * 86400_000 });
      expect(await underTest.store.getItem(legacy.key)).toEqual(DATA);
    });
  });
}
