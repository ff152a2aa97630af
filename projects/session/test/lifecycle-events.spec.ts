// config.onEvent through real requests on each store: every lifecycle event once, with who and why, after the store
// confirmed it; the per-user limit's two policies; "remember me"; a hook that throws never fails a request.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { pruneExpiredSessions, revokeUserSession, revokeUserSessions, type SessionLifecycleEvent } from '../src/index';
import { Client, serve, type Served } from './support/http';
import { createSessionApp } from './support/session-app';
import { statusTextOf } from './support/h3-app';
import { fsStore, mariadbStore, memoryStore, postgresStore, redisStore, SQLITE_STORES, type StoreUnderTest } from './support/stores';
import { redisClusterStore } from './support/cluster-store';
import { arrived, nextMillisecond } from './support/clock';

const login = (client: Client, user: string, extra: Record<string, unknown> = {}) => client.request('/login', { body: { user, ...extra } });
const handles = async (client: Client) => ((await client.json('/sessions')) as { handle: string; current: boolean }[]).map((s) => s.handle);
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

/** `cluster`: keys carry hash tags, so binding moves a session into its user's slot (a new ID), and the sweep does not apply. */
function describeLifecycle(name: string, create: () => Promise<StoreUnderTest>, cluster = false) {
  describe(`lifecycle events: ${name}`, () => {
    let underTest: StoreUnderTest;
    let server: Served;
    const seen: SessionLifecycleEvent[] = [];
    const of = (type: SessionLifecycleEvent['type']) => seen.filter((e) => e.type === type);

    beforeAll(async () => {
      underTest = await create();
      server = await serve(createSessionApp(underTest.store, { onEvent: (event) => void seen.push(event), maxSessionsPerUser: 3 }).app);
    });
    afterAll(async () => {
      await server.close();
      await underTest.dispose();
    });
    afterEach(() => void (seen.length = 0));

    it('reports created, regenerated and bound at a login, each once, naming the session by its list handle', async () => {
      const client = new Client(server.url);
      await client.json('/set', { body: { cart: 1 } });
      await login(client, 'ada', { label: 'Firefox' });
      const [created] = of('created');
      const [regenerated] = of('regenerated');
      const [bound] = of('bound');
      const moves = cluster ? ['regenerated', 'regenerated'] : ['regenerated'];
      expect(seen.map((e) => e.type)).toEqual(['created', ...moves, 'bound']);
      expect(regenerated).toMatchObject({ previous: created!.session, userId: null });
      const last = of('regenerated').at(-1)!;
      expect(bound).toMatchObject({ session: last.session, userId: 'ada', label: 'Firefox' });
      expect(await handles(client)).toEqual([bound!.session]);
      expect(bound!.at).toBeGreaterThanOrEqual(created!.at);
    });

    it('reports unbound and destroyed with the user the session had', async () => {
      const client = new Client(server.url);
      await login(client, 'bob');
      const [session] = await handles(client);
      seen.length = 0;
      await client.json('/unbind', { method: 'POST' });
      expect(seen).toEqual([{ type: 'unbound', session, userId: 'bob', at: expect.any(Number) }]);
      await login(client, 'bob');
      const [again] = await handles(client);
      seen.length = 0;
      await client.json('/destroy', { method: 'POST' });
      expect(seen).toEqual([{ type: 'destroyed', session: again, userId: 'bob', at: expect.any(Number) }]);
      // Nothing left to destroy: nothing reported.
      await client.json('/destroy', { method: 'POST' });
      expect(seen).toHaveLength(1);
    });

    it('reports revoked by another device with the reason, by the session itself, and by an admin', async () => {
      const [laptop, phone, tablet] = [new Client(server.url), new Client(server.url), new Client(server.url)];
      for (const device of [laptop, phone, tablet]) await login(device, 'cy');
      const [phoneHandle] = await handles(phone);
      const [tabletHandle] = await handles(tablet);
      seen.length = 0;
      expect(await laptop.json('/revoke-others', { body: { reason: 'password-changed' } })).toEqual({ revoked: 2 });
      expect(
        of('revoked')
          .map((e) => e.session)
          .sort(),
      ).toEqual([phoneHandle, tabletHandle].sort());
      for (const event of of('revoked')) expect(event).toMatchObject({ userId: 'cy', by: 'other-device', reason: 'password-changed' });

      const [own] = await handles(laptop);
      seen.length = 0;
      expect(await laptop.json('/sessions/revoke', { body: { handle: own } })).toEqual({ revoked: true });
      expect(seen).toEqual([expect.objectContaining({ type: 'revoked', session: own, by: 'self', reason: 'signed-out-elsewhere' })]);

      await login(laptop, 'cy');
      const [admin] = await handles(laptop);
      seen.length = 0;
      expect(await revokeUserSessions(underTest.store, 'cy', { reason: 'account-locked' })).toBe(1);
      expect(seen).toEqual([
        expect.objectContaining({ type: 'revoked', session: admin, userId: 'cy', by: 'admin', reason: 'account-locked' }),
      ]);
      seen.length = 0;
      expect(await revokeUserSession(underTest.store, 'cy', admin!)).toBe(false);
      expect(seen).toEqual([]);
    });

    it("evicts the session expiring first beyond maxSessionsPerUser ('evict-oldest'), reporting it", async () => {
      const devices = [0, 1, 2, 3].map(() => new Client(server.url));
      for (const device of devices.slice(0, 3)) {
        await login(device, 'dee');
        await nextMillisecond();
      }
      const [oldest] = await handles(devices[0]!);
      seen.length = 0;
      await login(devices[3]!, 'dee');
      expect(of('evicted')).toEqual([{ type: 'evicted', session: oldest, userId: 'dee', at: expect.any(Number) }]);
      expect((await devices[0]!.json('/session')).user).toBeNull();
    });

    it("refuses a login beyond the limit under 'deny-new' (409 TOO_MANY_SESSIONS), writing nothing", async () => {
      const denying = await serve(createSessionApp(underTest.store, { maxSessionsPerUser: 2, sessionLimitPolicy: 'deny-new' }).app);
      try {
        const devices = [0, 1, 2].map(() => new Client(denying.url));
        for (const device of devices.slice(0, 2)) expect((await login(device, 'dan')).status).toBe(200);
        seen.length = 0;
        const refused = await login(devices[2]!, 'dan');
        expect(refused.status).toBe(409);
        expect(statusTextOf(await refused.json())).toBe('Too many sessions');
        expect((await devices[2]!.json('/session')).user).toBeNull();
        expect(await devices[0]!.json('/sessions')).toHaveLength(2);
        await devices[0]!.json('/destroy', { method: 'POST' });
        expect((await login(devices[2]!, 'dan')).status).toBe(200);
        expect(await devices[2]!.json('/sessions')).toHaveLength(2);
      } finally {
        await denying.close();
      }
    });

    it('reports a session a request found past its idle expiry once, however many requests read it', async () => {
      // Its own hook: every hook of the store hears every event (the suite's hook too).
      const found: SessionLifecycleEvent[] = [];
      const reading = await serve(
        createSessionApp(underTest.store, { onEvent: (e) => void found.push(e), maxAge: 60, pruneInterval: false }).app,
      );
      try {
        const client = new Client(reading.url);
        await login(client, 'flo');
        const [session] = await handles(client);
        seen.length = 0;
        vi.useFakeTimers({ toFake: ['Date'] });
        vi.setSystemTime(Date.now() + 61_000);
        const answers = await Promise.all([1, 2, 3, 4].map(() => client.clone().json('/session')));
        expect(answers.map((answer) => answer.user)).toEqual([null, null, null, null]);
        await arrived(() => expect(found.filter((e) => e.type === 'expired')).toHaveLength(1));
        await settle();
        expect(found.filter((e) => e.type === 'expired')).toEqual([
          { type: 'expired', session, userId: 'flo', cause: 'idle', foundBy: 'read', at: expect.any(Number) },
        ]);
      } finally {
        vi.useRealTimers();
        await reading.close();
      }
    });

    // Registered only where a sweep applies (not reported as skipped elsewhere).
    const itSwept = cluster ? () => undefined : it;
    itSwept('reports expired sessions the sweep finds (idle), once', async () => {
      const client = new Client(server.url);
      await login(client, 'eve');
      const [session] = await handles(client);
      seen.length = 0;
      const later = Date.now() + 86_400_000 + 1000;
      await pruneExpiredSessions(underTest.store, { now: later });
      await pruneExpiredSessions(underTest.store, { now: later });
      expect(of('expired').filter((e) => e.session === session)).toEqual([
        { type: 'expired', session, userId: 'eve', cause: 'idle', foundBy: 'sweeper', at: later },
      ]);
    });
  });
}

describeLifecycle('memory', memoryStore);
describeLifecycle('fs', fsStore);
describeLifecycle('redis', redisStore);
describeLifecycle('redis cluster', redisClusterStore, true);
// libsql everywhere; node-sqlite where Node has `node:sqlite`, better-sqlite3 on Node 22+ (absent on Node 20, not skipped: stores.ts).
for (const [connector, create] of SQLITE_STORES) describeLifecycle(`sqlite (${connector})`, create);
describeLifecycle('postgresql', postgresStore);
describeLifecycle('mariadb', mariadbStore);

describe('lifecycle events: expiry found by a read, policies, remember me, failing hooks', () => {
  let underTest: StoreUnderTest;
  beforeAll(async () => (underTest = await memoryStore()));
  afterAll(() => underTest.dispose());

  it('reports an expired session a request read once, with its cause (absolute before idle)', async () => {
    const seen: SessionLifecycleEvent[] = [];
    const server = await serve(createSessionApp(underTest.store, { onEvent: (e) => void seen.push(e), absoluteTimeout: 1 }).app);
    try {
      const client = new Client(server.url);
      await login(client, 'fay');
      const [session] = await handles(client);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await Promise.all([1, 2, 3, 4].map(() => client.clone().json('/session')));
      await arrived(() => expect(seen.filter((e) => e.type === 'expired')).toHaveLength(1));
      await settle();
      expect(seen.filter((e) => e.type === 'expired')).toEqual([
        { type: 'expired', session, userId: 'fay', cause: 'absolute', foundBy: 'read', at: expect.any(Number) },
      ]);
    } finally {
      await server.close();
    }
  });

  it("refuses a login beyond the limit under 'deny-new' with 409 TOO_MANY_SESSIONS, leaving the session anonymous", async () => {
    const server = await serve(createSessionApp(underTest.store, { maxSessionsPerUser: 2, sessionLimitPolicy: 'deny-new' }).app);
    try {
      const devices = [0, 1, 2].map(() => new Client(server.url));
      for (const device of devices.slice(0, 2)) expect((await login(device, 'gus')).status).toBe(200);
      const refused = await login(devices[2]!, 'gus');
      expect(refused.status).toBe(409);
      expect(statusTextOf(await refused.json())).toBe('Too many sessions');
      expect((await devices[2]!.json('/session')).user).toBeNull();
      expect(await devices[0]!.json('/sessions')).toHaveLength(2);
      await devices[0]!.json('/destroy', { method: 'POST' });
      expect((await login(devices[2]!, 'gus')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('gives a session not remembered a cookie without Max-Age and the shorter idle lifetime', async () => {
    const server = await serve(createSessionApp(underTest.store, { maxAge: 86400, browserSessionMaxAge: 600 }).app);
    try {
      const client = new Client(server.url);
      await login(client, 'hal', { persistent: false });
      const cookie = client.lastSetCookies.find((c) => c.name === 'connect.sid')!;
      expect(cookie.attributes['max-age']).toBeUndefined();
      const summary = await client.json('/summary');
      expect(summary.expiresAt - summary.now).toBeLessThanOrEqual(600_000);
      expect(summary.expiresAt - summary.now).toBeGreaterThan(590_000);
      // Reads slide it within half its idle lifetime, however long config.touchAfter is (43,200 s here).
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 301_000);
      await client.json('/session');
      const later = await client.json('/summary');
      vi.useRealTimers();
      expect(later.expiresAt).toBeGreaterThan(summary.expiresAt + 300_000);
      // Still not remembered after that write: the short lifetime again.
      expect(later.expiresAt - later.now).toBeLessThanOrEqual(600_000);
      // Remembered: the long lifetime and a Max-Age.
      const other = new Client(server.url);
      await login(other, 'hal');
      expect(other.lastSetCookies.find((c) => c.name === 'connect.sid')!.attributes['max-age']).toBe('86400');
    } finally {
      await server.close();
    }
  });

  it('logs what a hook throws or rejects with, and the request succeeds', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let calls = 0;
    const onEvent = (event: SessionLifecycleEvent) => {
      calls++;
      if (event.type === 'created') throw new Error('hook broke');
      return event.type === 'bound' ? Promise.reject(new Error('hook rejected')) : undefined;
    };
    const server = await serve(createSessionApp(underTest.store, { onEvent }).app);
    try {
      const client = new Client(server.url);
      expect((await login(client, 'ivy')).status).toBe(200);
      expect((await client.json('/session')).user).toBe('ivy');
      expect(calls).toBe(2);
      const logged = errors.mock.calls.map((args) => String(args[0]));
      expect(logged.some((line) => line.includes("'created'") && line.includes('hook broke'))).toBe(true);
      expect(logged.some((line) => line.includes("'bound'") && line.includes('hook rejected'))).toBe(true);
    } finally {
      errors.mockRestore();
      await server.close();
    }
  });
});
