// The one conformance suite every storage backend runs: memory, lru-cache, fs and Redis each call
// describeSessionStore() with a factory, and add only what is specific to them.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Storage } from 'unstorage';
import { revokeUserSessions, signCookie } from '../../src/index';
import { movedMarkTime } from '../../src/core/record';
import { Client, serve, type Served } from './http';
import { COOKIE, createSessionApp, loginGate, SECRET, writeGate } from './session-app';
import type { StoredRecords, StoreUnderTest } from './stores';

export type { StoreUnderTest } from './stores';

/** How a suite looks at what a store holds: through the Storage, or the store's own view (SQL keeps its own table). */
function viewOf(store: Storage<any> | StoreUnderTest): StoredRecords {
  if ('store' in store) return store.records ?? viewOf(store.store);
  return { keys: (base) => store.getKeys(base), raw: (key) => store.getItemRaw(key), clear: () => store.clear() };
}

/** Record keys under the default prefix (user indexes excluded). */
export async function recordKeys(store: Storage<any> | StoreUnderTest): Promise<string[]> {
  const view = viewOf(store);
  const keys = (await view.keys('sess')).filter((key) => !key.startsWith('sess:user:'));
  // Not the moved marks a regeneration leaves under the old key for a minute.
  const marks = await Promise.all(keys.map(async (key) => movedMarkTime(await view.raw(key)) !== undefined));
  return keys.filter((_, at) => !marks[at]);
}

async function dump(store: StoreUnderTest): Promise<string> {
  const view = viewOf(store);
  const keys = await view.keys('sess');
  const values = await Promise.all(keys.map(async (key) => `${key}=${String(await view.raw(key))}`));
  return values.join('\n');
}

const sessionId = (signed: string) => signed.slice(2, signed.lastIndexOf('.'));

export function describeSessionStore(name: string, create: () => Promise<StoreUnderTest>): void {
  describe(`session store conformance: ${name}`, () => {
    let underTest: StoreUnderTest;
    let server: Served;
    let client: Client;

    const start = async (overrides = {}) => {
      await server?.close();
      server = await serve(createSessionApp(underTest.store, overrides).app);
      client = new Client(server.url);
    };

    beforeAll(async () => {
      underTest = await create();
    });
    afterAll(async () => {
      await server?.close();
      await underTest.dispose?.();
    });
    beforeEach(async () => {
      await viewOf(underTest).clear();
      await start();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('leaves anonymous readers alone: no cookie, no record', async () => {
      const response = await client.request('/session');
      expect(await response.json()).toEqual({ data: {}, user: null });
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(await recordKeys(underTest)).toEqual([]);
    });

    it('creates the session on its first write, with a signed cookie and safe defaults', async () => {
      await client.json('/set', { body: { theme: 'dark' } });
      const [cookie] = client.lastSetCookies;
      expect(cookie.name).toBe(COOKIE);
      expect(cookie.value).toMatch(/^s:[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{43}$/);
      expect(cookie.attributes).toMatchObject({ path: '/', httponly: true, samesite: 'Lax', 'max-age': '86400' });
      expect(cookie.attributes['secure']).toBe(true);
      expect(await client.json('/session')).toEqual({ data: { theme: 'dark' }, user: null });
    });

    it('keys records by a hash: a store dump holds no usable session ID', async () => {
      await client.json('/set', { body: { a: 1 } });
      const id = sessionId(client.cookies.get(COOKIE)!);
      const keys = await recordKeys(underTest);
      expect(keys).toHaveLength(1);
      // On Redis Cluster the hash is preceded by the slot tag: the ID's first 4 characters (session-keys.ts).
      expect(keys[0]).toMatch(underTest.hashTags ? new RegExp(`^sess:\\{${id.slice(0, 4)}\\}[0-9a-f]{64}$`) : /^sess:[0-9a-f]{64}$/);
      expect(await dump(underTest)).not.toContain(id);
    });

    it('stores the expiry in the record', async () => {
      const before = Date.now();
      await client.json('/set', { body: { a: 1 } });
      const [key] = await recordKeys(underTest);
      const record = JSON.parse(String(await viewOf(underTest).raw(key)));
      expect(record.expiresAt).toBeGreaterThanOrEqual(before + 86_400_000);
      expect(record.expiresAt).toBeLessThanOrEqual(Date.now() + 86_400_000);
    });

    it('does not write on a request that only reads', async () => {
      await client.json('/set', { body: { a: 1 } });
      const [key] = await recordKeys(underTest);
      const before = String(await viewOf(underTest).raw(key));
      for (let i = 0; i < 3; i++) await client.json('/session');
      expect(String(await viewOf(underTest).raw(key))).toBe(before);
      expect(client.lastSetCookies).toEqual([]);
    });

    it('merges shallowly and deletes keys returned as undefined', async () => {
      await client.json('/set', { body: { a: 1, b: 2 } });
      await client.request('/set', { body: { b: null, c: 3 } });
      expect((await client.json('/session')).data).toEqual({ a: 1, b: null, c: 3 });
      await client.json('/unset?key=a', { method: 'POST' });
      expect((await client.json('/session')).data).toEqual({ b: null, c: 3 });
      const [key] = await recordKeys(underTest);
      expect(JSON.parse(String(await viewOf(underTest).raw(key))).data).toEqual({ b: null, c: 3 });
    });

    it('counts 100 parallel increments of one session exactly', async () => {
      await client.json('/inc', { method: 'POST' });
      await Promise.all(Array.from({ length: 99 }, () => client.clone().request('/inc', { method: 'POST' })));
      expect((await client.json('/session')).data.n).toBe(100);
    });

    it('keeps every key of 100 parallel requests that change different keys', async () => {
      await client.json('/set', { body: { start: true } });
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) => client.clone().request('/set', { body: { [`k${i}`]: i } })),
      );
      expect(responses.every((r) => r.status === 200)).toBe(true);
      const { data } = await client.json('/session');
      for (let i = 0; i < 100; i++) expect(data[`k${i}`]).toBe(i);
    });

    it('regenerates: same data under a new ID; the old cookie is dead and its record gone', async () => {
      await client.json('/set', { body: { cart: [1, 2] } });
      const old = client.clone();
      const oldKeys = await recordKeys(underTest);
      await client.json('/regenerate', { method: 'POST' });
      expect(client.cookies.get(COOKIE)).not.toBe(old.cookies.get(COOKIE));
      expect((await client.json('/session')).data).toEqual({ cart: [1, 2] });
      expect(await old.json('/session')).toEqual({ data: {}, user: null });
      const newKeys = await recordKeys(underTest);
      expect(newKeys).toHaveLength(1);
      expect(newKeys).not.toEqual(oldKeys);
    });

    it('a request still carrying the old cookie after a regeneration neither signs the browser out nor reaches the new one', async () => {
      await client.json('/login', { body: { user: 'ada' } });
      await client.json('/set', { body: { cart: [1] } });
      const old = client.clone();
      await client.json('/regenerate', { method: 'POST' });
      // A write with the old cookie (sent before the new one arrived): refused, and no cookie set or cleared.
      const write = await old.request('/inc', { method: 'POST' });
      expect(write.status).toBe(401);
      expect(old.lastSetCookies.filter((cookie) => cookie.name === COOKIE)).toEqual([]);
      expect(await old.json('/session')).toEqual({ data: {}, user: null });
      expect(old.lastSetCookies).toEqual([]);
      expect(await client.json('/session')).toEqual({ data: { cart: [1], user: { id: 'ada', name: 'ADA' } }, user: 'ada' });
    });

    it('a write in flight while its session is regenerated is refused without replacing the new cookie', async () => {
      await client.json('/login', { body: { user: 'ada' } });
      const old = client.clone();
      let release!: () => void;
      let arrived!: () => void;
      const paused = new Promise<void>((resolve) => (arrived = resolve));
      writeGate.beforeWrite = () => {
        arrived();
        return new Promise<void>((resolve) => (release = resolve));
      };
      try {
        const inFlight = old.request('/inc', { method: 'POST' });
        await paused;
        writeGate.beforeWrite = undefined;
        await client.json('/regenerate', { method: 'POST' });
        release();
        const response = await inFlight;
        expect(response.status).toBe(401);
        expect(old.lastSetCookies).toEqual([]);
      } finally {
        writeGate.beforeWrite = undefined;
      }
      expect(await client.json('/session')).toMatchObject({ data: { user: { id: 'ada' } }, user: 'ada' });
      expect((await client.json('/session')).data.n).toBeUndefined();
    });

    it('destroys: record removed, cookie cleared with the attributes it was set with', async () => {
      await start({ cookie: { domain: '127.0.0.1', sameSite: 'strict', path: '/' } });
      await client.json('/set', { body: { a: 1 } });
      const setWith = client.lastSetCookies[0].attributes;
      await client.json('/destroy', { method: 'POST' });
      const cleared = client.lastSetCookies[0];
      expect(cleared.value).toBe('');
      expect(cleared.attributes['max-age']).toBe('0');
      for (const attribute of ['path', 'domain', 'samesite', 'httponly']) expect(cleared.attributes[attribute]).toEqual(setWith[attribute]);
      expect(await recordKeys(underTest)).toEqual([]);
    });

    it('never adopts a correctly signed ID that has no record', async () => {
      const planted = await signCookie('A'.repeat(32), SECRET);
      client.cookies.set(COOKIE, planted);
      expect((await client.json('/session')).data).toEqual({});
      await client.json('/set', { body: { a: 1 } });
      expect(client.cookies.get(COOKIE)).not.toBe(planted);
      expect(sessionId(client.cookies.get(COOKIE)!)).not.toBe('A'.repeat(32));
    });

    it('gives a fresh session for tampered, malformed and oversized cookies, never an error', async () => {
      await client.json('/set', { body: { secret: 'x' } });
      const good = client.cookies.get(COOKIE)!;
      const bad = [
        good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A'),
        good.replace('s:', 's:x'),
        'garbage',
        '',
        's:.',
        good + good,
        'x'.repeat(8000),
      ];
      for (const value of bad) {
        const response = await fetch(`${server.url}/session`, { headers: { cookie: `${COOKIE}=${encodeURIComponent(value)}` } });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ data: {}, user: null });
      }
    });

    it('treats an expired record as missing, removes it, and starts a new ID', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      await start({ maxAge: 60 });
      await client.json('/set', { body: { a: 1 } });
      const first = client.cookies.get(COOKIE);
      vi.setSystemTime(Date.now() + 61_000);
      expect((await client.json('/session')).data).toEqual({});
      await vi.waitFor(async () => expect(await recordKeys(underTest)).toEqual([]));
      await client.json('/set', { body: { b: 2 } });
      expect(client.cookies.get(COOKIE)).not.toBe(first);
    });

    it('slides the idle expiry, re-writing at most once per touchAfter', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      await start({ maxAge: 100 });
      await client.json('/set', { body: { a: 1 } });
      const [key] = await recordKeys(underTest);
      const version = async () => JSON.parse(String(await viewOf(underTest).raw(key))).version as number;
      expect(await version()).toBe(1);
      vi.setSystemTime(Date.now() + 40_000);
      await client.json('/session');
      expect(await version()).toBe(1);
      vi.setSystemTime(Date.now() + 20_000);
      await client.json('/session');
      expect(await version()).toBe(2);
      expect(client.lastSetCookies[0]?.attributes['max-age']).toBe('100');
      // 60 s after the start, but only 0 s after the touch: still alive 90 s later.
      vi.setSystemTime(Date.now() + 90_000);
      expect((await client.json('/session')).data).toEqual({ a: 1 });
    });

    it('re-sends the cookie on writes about once a minute, so its Max-Age never lags the record by a minute', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Math.ceil(Date.now() / 60_000) * 60_000 + 1_000);
      await start({ maxAge: 86_400 });
      await client.json('/set', { body: { a: 1 } });
      expect(client.lastSetCookies.map((c) => c.attributes['max-age'])).toEqual(['86400']);
      vi.setSystemTime(Date.now() + 20_000);
      await client.json('/inc', { method: 'POST' });
      expect(client.lastSetCookies).toEqual([]);
      vi.setSystemTime(Date.now() + 40_000);
      await client.json('/inc', { method: 'POST' });
      expect(client.lastSetCookies.map((c) => c.attributes['max-age'])).toEqual(['86400']);
      let sentAt = Date.now();
      let sent = 0;
      for (let i = 0; i < 12; i++) {
        vi.setSystemTime(Date.now() + 25_000);
        await client.json('/inc', { method: 'POST' });
        if (client.lastSetCookies.length > 0) [sentAt, sent] = [Date.now(), sent + 1];
        expect(Date.now() - sentAt).toBeLessThan(60_000);
      }
      expect(sent).toBe(5);
      // A new ID is always sent, whenever the last cookie went out.
      const before = client.cookies.get(COOKIE);
      await client.json('/regenerate', { method: 'POST' });
      expect(client.cookies.get(COOKIE)).not.toBe(before);
      expect((await client.json('/session')).data).toMatchObject({ a: 1, n: 14 });
    });

    it('caps a session at absoluteTimeout however active it is', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      await start({ maxAge: 100, absoluteTimeout: 150 });
      await client.json('/set', { body: { a: 1 } });
      for (let t = 0; t < 3; t++) {
        vi.setSystemTime(Date.now() + 45_000);
        await client.json('/inc', { method: 'POST' });
      }
      expect((await client.json('/session')).data).toMatchObject({ a: 1, n: 3 });
      vi.setSystemTime(Date.now() + 20_000);
      expect((await client.json('/session')).data).toEqual({});
      // The read deletes the expired record in the background: let it finish before the next test clears the store.
      await vi.waitFor(async () => expect(await recordKeys(underTest.store)).toEqual([]));
    });

    it('persists uninitialized sessions eagerly with saveUninitialized: true', async () => {
      await start({ saveUninitialized: true, generate: () => ({ fresh: true }) });
      await client.json('/session');
      expect(client.cookies.get(COOKIE)).toBeDefined();
      expect(await recordKeys(underTest)).toHaveLength(1);
      expect((await client.json('/session')).data).toEqual({ fresh: true });
    });

    it('revokes every session of a user in one call, sparing others and the caller when asked', async () => {
      const adaPhone = new Client(server.url);
      const adaLaptop = new Client(server.url);
      const grace = new Client(server.url);
      await adaPhone.json('/login', { body: { user: 'ada' } });
      await adaLaptop.json('/login', { body: { user: 'ada' } });
      await grace.json('/login', { body: { user: 'grace' } });
      expect((await adaPhone.json('/session')).user).toBe('ada');
      expect(await adaLaptop.json('/revoke', { body: { user: 'ada', keepMine: true } })).toEqual({ revoked: 1 });
      expect(await adaPhone.json('/session')).toEqual({ data: {}, user: null });
      expect((await adaLaptop.json('/session')).user).toBe('ada');
      expect((await grace.json('/session')).user).toBe('grace');
      expect(await grace.json('/revoke', { body: { user: 'ada' } })).toEqual({ revoked: 1 });
      expect(await adaLaptop.json('/session')).toEqual({ data: {}, user: null });
    });

    it.each([
      ['after regenerating a stored session', 'afterPasswordCheck', true],
      ['before any write, on a session never stored (regenerate + bind both land after the revocation)', 'beforeSessionWrites', false],
    ] as const)(
      'ends logins in flight paused %s: a binding that lands after revokeUserSessions does not survive',
      async (_, gate, visited) => {
        const devices = Array.from({ length: 20 }, () => new Client(server.url));
        if (visited) await Promise.all(devices.map((device) => device.json('/set', { body: { visited: true } })));
        let arrived = 0;
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        let allArrived!: () => void;
        const ready = new Promise<void>((resolve) => (allArrived = resolve));
        loginGate[gate] = async () => {
          if (++arrived === devices.length) allArrived();
          await released;
        };
        try {
          const logins = devices.map((device) => device.request('/login', { method: 'POST', body: { user: 'ada' } }));
          await ready;
          await revokeUserSessions(underTest.store, 'ada');
          release();
          const answers = await Promise.all(logins);
          expect(answers.every((answer) => answer.status !== 200)).toBe(true);
        } finally {
          loginGate[gate] = undefined;
        }
        const users = await Promise.all(devices.map(async (device) => (await device.json('/session')).user));
        expect(users.filter((user) => user !== null)).toEqual([]);
        // Sessions created after the revocation log in as usual.
        const later = new Client(server.url);
        await later.json('/login', { body: { user: 'ada' } });
        expect((await later.json('/session')).user).toBe('ada');
      },
    );

    it('keeps the user binding through regeneration, and revocation reaches the new ID', async () => {
      await client.json('/login', { body: { user: 'ada' } });
      await client.json('/regenerate', { method: 'POST' });
      expect((await client.json('/session')).user).toBe('ada');
      await new Client(server.url).json('/revoke', { body: { user: 'ada' } });
      expect((await client.json('/session')).user).toBeNull();
    });

    it('refuses a write to a session destroyed meanwhile instead of resurrecting it', async () => {
      await client.json('/set', { body: { a: 1 } });
      const [key] = await recordKeys(underTest);
      // Another instance deletes the record after this request loaded it, before it writes.
      const response = await client.request('/set', { body: { b: 2 }, headers: { 'x-delete-before-write': key } });
      expect(response.status).toBe(401);
      expect(await recordKeys(underTest)).toEqual([]);
    });
    it("lists a user's sessions: label, sign-in and last-seen times, the current one first, no ID or key", async () => {
      const laptop = new Client(server.url);
      const phone = new Client(server.url);
      const before = Date.now();
      await laptop.json('/login', { body: { user: 'ada', label: 'Firefox on Linux' } });
      await phone.json('/login', { body: { user: 'ada', label: 'Safari on iOS' } });
      await new Client(server.url).json('/login', { body: { user: 'grace', label: 'Edge on Windows' } });
      const listed = await phone.json('/sessions');
      expect(listed.map((s: { label: string; current: boolean }) => [s.label, s.current])).toEqual([
        ['Safari on iOS', true],
        ['Firefox on Linux', false],
      ]);
      for (const session of listed) {
        expect(Object.keys(session).sort()).toEqual(['createdAt', 'current', 'expiresAt', 'handle', 'label', 'lastSeenAt']);
        expect(session.createdAt).toBeGreaterThanOrEqual(before);
        expect(session.lastSeenAt).toBeGreaterThanOrEqual(session.createdAt);
        expect(session.expiresAt).toBeGreaterThan(Date.now());
        expect(session.handle).toMatch(/^[0-9a-f]{32}$/);
      }
      const text = JSON.stringify(listed);
      for (const device of [laptop, phone]) expect(text).not.toContain(sessionId(device.cookies.get(COOKIE)!));
      for (const key of await viewOf(underTest).keys('sess')) expect(text).not.toContain(key.slice(-20));
      expect((await laptop.json('/sessions'))[0]).toMatchObject({ label: 'Firefox on Linux', current: true });
      expect(await new Client(server.url).json('/sessions')).toEqual([]);
      expect((await client.json('/sessions-of?user=ada')).map((s: { current: boolean }) => s.current)).toEqual([false, false]);
    });

    it('keeps the label through writes and regeneration; binding another user drops it; long labels are cut', async () => {
      await client.json('/login', { body: { user: 'ada', label: 'Firefox on Linux' } });
      await client.json('/set', { body: { theme: 'dark' } });
      await client.json('/regenerate', { method: 'POST' });
      expect((await client.json('/sessions'))[0].label).toBe('Firefox on Linux');
      await client.json('/login', { body: { user: 'grace' } });
      expect((await client.json('/sessions'))[0].label).toBeNull();
      await client.json('/login', { body: { user: 'grace', label: 'x'.repeat(500) } });
      expect((await client.json('/sessions'))[0].label).toBe('x'.repeat(200));
    });

    it("signs out one session by its handle, only among the caller's own sessions", async () => {
      const laptop = new Client(server.url);
      const phone = new Client(server.url);
      const grace = new Client(server.url);
      await laptop.json('/login', { body: { user: 'ada', label: 'laptop' } });
      await phone.json('/login', { body: { user: 'ada', label: 'phone' } });
      await grace.json('/login', { body: { user: 'grace', label: 'grace' } });
      const phoneHandle = (await laptop.json('/sessions')).find((s: { label: string }) => s.label === 'phone').handle;
      const graceHandle = (await grace.json('/sessions'))[0].handle;
      expect(await laptop.json('/sessions/revoke', { body: { handle: graceHandle } })).toEqual({ revoked: false });
      expect((await grace.json('/session')).user).toBe('grace');
      expect(await laptop.json('/sessions/revoke', { body: { handle: phoneHandle } })).toEqual({ revoked: true });
      expect(await phone.json('/session')).toEqual({ data: {}, user: null });
      expect((await laptop.json('/session')).user).toBe('ada');
      expect(await laptop.json('/sessions/revoke', { body: { handle: phoneHandle } })).toEqual({ revoked: false });
      expect((await laptop.json('/sessions')).map((s: { label: string }) => s.label)).toEqual(['laptop']);
      for (const handle of ['h'.repeat(5000), 42, null, phoneHandle.toUpperCase()]) {
        expect(await laptop.json('/sessions/revoke', { body: { handle } })).toEqual({ revoked: false });
      }
      expect(await new Client(server.url).json('/sessions/revoke', { body: { handle: phoneHandle } })).toEqual({ revoked: false });
    });

    it('signs out everywhere else: the list keeps only the current session', async () => {
      const devices = [new Client(server.url), new Client(server.url), new Client(server.url)];
      for (const [i, device] of devices.entries()) await device.json('/login', { body: { user: 'ada', label: `device ${i}` } });
      expect(await devices[0].json('/sessions')).toHaveLength(3);
      expect(await devices[0].json('/revoke', { body: { user: 'ada', keepMine: true } })).toEqual({ revoked: 2 });
      expect((await devices[0].json('/sessions')).map((s: { label: string }) => s.label)).toEqual(['device 0']);
      expect((await devices[1].json('/session')).user).toBeNull();
    });

    it('leaves expired sessions out of the list', async () => {
      await start({ maxAge: 1 });
      const old = new Client(server.url);
      await old.json('/login', { body: { user: 'ada', label: 'old' } });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await client.json('/login', { body: { user: 'ada', label: 'new' } });
      expect((await client.json('/sessions')).map((s: { label: string }) => s.label)).toEqual(['new']);
    });
  });
}
