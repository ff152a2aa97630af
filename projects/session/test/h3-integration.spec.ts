// The Analog/Nitro building blocks through a real HTTP server: middleware, summary endpoint, logout
// endpoint and requireSession, on the h3 flavor of the run (support/h3-app.ts).
import { createStorage, type Storage } from 'unstorage';
import memoryDriver from 'unstorage/drivers/memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defineSessionLogoutHandler,
  defineSessionMiddleware,
  defineSessionSummaryHandler,
  regenerateSession,
  requireSession,
  setSessionUser,
  updateSession,
  useSession,
  type SessionConfig,
} from '../src/index';
import { createTestApp, readJson, statusTextOf } from './support/h3-app';
import { Client, serve, type Served } from './support/http';
import { SECRET } from './support/session-app';

interface AppSession {
  user?: { id: string; name: string };
  accessToken?: string;
  visits?: number;
}

/** A memory store that counts every driver call, to prove which requests touch the store. */
function countingStore(): { store: Storage<any>; calls: string[] } {
  const calls: string[] = [];
  const driver = memoryDriver();
  const counted = new Proxy(driver, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'dispose') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: createStorage({ driver: counted }), calls };
}

function buildApp(config: SessionConfig<AppSession>, withMiddleware = true) {
  const app = createTestApp();
  if (withMiddleware) app.use(defineSessionMiddleware(config));
  const summaryOptions = withMiddleware ? {} : { config };
  return app
    .get(
      '/api/session',
      defineSessionSummaryHandler<AppSession, { user?: { id: string; name: string } }>((s) => ({ user: s.user }), summaryOptions),
    )
    .get(
      '/api/session-by-flag',
      defineSessionSummaryHandler<AppSession, { visits?: number }>((s) => ({ visits: s.visits }), {
        ...summaryOptions,
        isAuthenticated: (s) => (s.visits ?? 0) > 0,
      }),
    )
    .post('/api/auth/logout', defineSessionLogoutHandler(withMiddleware ? {} : { config }))
    .post('/api/auth/login', async (event) => {
      await useSession(event, config);
      const { name } = await readJson<{ name: string }>(event);
      await regenerateSession(event);
      await setSessionUser(event, `id-${name}`);
      await updateSession<AppSession>(event, () => ({ user: { id: `id-${name}`, name }, accessToken: 'top-secret-token' }));
      return { authenticated: true };
    })
    .post('/api/visits', async (event) => {
      await useSession(event, config);
      requireSession(event);
      await updateSession<AppSession>(event, (s) => ({ visits: (s.visits ?? 0) + 1 }));
      return { ok: true };
    })
    .get('/api/admin', async (event) => {
      await useSession(event, config);
      return requireSession<AppSession>(event, (s) => s.user?.name === 'root') && { admin: true };
    })
    .get('/asset.js', () => 'console.log(1)');
}

describe.each([
  ['with defineSessionMiddleware', true],
  ['with handlers given { config } and no middleware', false],
])('Analog building blocks %s', (_, withMiddleware) => {
  const { store, calls } = countingStore();
  let server: Served;
  beforeAll(async () => {
    server = await serve(buildApp({ store, secret: SECRET }, withMiddleware));
  });
  afterAll(() => server.close());

  it('costs anonymous requests no store call and no cookie', async () => {
    calls.length = 0;
    const client = new Client(server.url);
    for (const path of ['/asset.js', '/api/session', '/api/session-by-flag']) {
      const response = await client.request(path);
      expect(response.status).toBe(200);
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    expect(calls).toEqual([]);
  });

  it('answers the summary for anonymous visitors: only authenticated false, not cacheable', async () => {
    const response = await new Client(server.url).request('/api/session');
    expect(await response.json()).toEqual({ authenticated: false });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('vary')).toMatch(/cookie/i);
  });

  it('answers only what the selector picks for a signed-in user, never raw session data', async () => {
    const client = new Client(server.url);
    await client.json('/api/auth/login', { body: { name: 'ada' } });
    const summary = await client.json('/api/session');
    expect(summary).toEqual({
      authenticated: true,
      user: { id: 'id-ada', name: 'ada' },
      expiresAt: expect.any(Number),
      absoluteExpiresAt: null,
      now: expect.any(Number),
    });
    expect(JSON.stringify(summary)).not.toContain('top-secret-token');
  });

  it('lets isAuthenticated decide', async () => {
    const client = new Client(server.url);
    await client.json('/api/auth/login', { body: { name: 'bob' } });
    expect(await client.json('/api/session-by-flag')).toEqual({ authenticated: false });
    await client.json('/api/visits', { method: 'POST' });
    expect(await client.json('/api/session-by-flag')).toEqual({
      authenticated: true,
      visits: 1,
      expiresAt: expect.any(Number),
      absoluteExpiresAt: null,
      now: expect.any(Number),
    });
  });

  it('requireSession: 401 with a fixed message for anonymous users and failed checks', async () => {
    const anonymous = await new Client(server.url).request('/api/visits', { method: 'POST' });
    expect(anonymous.status).toBe(401);
    const body = await anonymous.json();
    expect(statusTextOf(body)).toBe('Unauthorized');
    expect(JSON.stringify(body)).not.toContain('requireSession()');
    const client = new Client(server.url);
    await client.json('/api/auth/login', { body: { name: 'eve' } });
    expect((await client.request('/api/visits', { method: 'POST' })).status).toBe(200);
    expect((await client.request('/api/admin')).status).toBe(401);
    const root = new Client(server.url);
    await root.json('/api/auth/login', { body: { name: 'root' } });
    expect(await root.json('/api/admin')).toEqual({ admin: true });
  });

  it('logs out: destroys the session, clears the cookie, answers authenticated false', async () => {
    const client = new Client(server.url);
    await client.json('/api/auth/login', { body: { name: 'ada' } });
    const replay = client.clone();
    const response = await client.request('/api/auth/logout', { method: 'POST' });
    expect(await response.json()).toEqual({ authenticated: false });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(client.lastSetCookies[0]).toMatchObject({ value: '', attributes: { 'max-age': '0' } });
    expect(await replay.json('/api/session')).toEqual({ authenticated: false });
  });
});

it('the summary handler without middleware or config says how to fix it', async () => {
  const server = await serve(
    createTestApp().get(
      '/',
      defineSessionSummaryHandler(() => ({})),
    ),
  );
  try {
    const response = await fetch(server.url);
    expect(response.status).toBe(500);
  } finally {
    await server.close();
  }
  const handler = defineSessionSummaryHandler(() => ({})) as unknown as (event: unknown) => Promise<unknown>;
  await expect(handler({ context: {} })).rejects.toThrow(/Install defineSessionMiddleware\(config\), or pass \{ config \}/);
});

describe('a store given as a promise (no top-level await needed)', () => {
  it('serves sessions once createUnstorageStore() resolves', async () => {
    const { createUnstorageStore } = await import('../src/index');
    const app = buildApp({ store: createUnstorageStore({ type: 'memory' }), secret: SECRET });
    const server = await serve(app);
    try {
      const client = new Client(server.url);
      await client.json('/api/auth/login', { body: { name: 'ada' } });
      expect(await client.json('/api/session')).toEqual({
        authenticated: true,
        user: { id: 'id-ada', name: 'ada' },
        expiresAt: expect.any(Number),
        absoluteExpiresAt: null,
        now: expect.any(Number),
      });
    } finally {
      await server.close();
    }
  });

  it('reports a store that fails to initialize at start-up and answers 503 instead of hanging', async () => {
    const { vi } = await import('vitest');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const failing = Promise.reject(new Error('driver exploded'));
      const app = buildApp({ store: failing, secret: SECRET });
      await vi.waitFor(() =>
        expect(errors).toHaveBeenCalledWith(expect.stringMatching(/config.store failed to initialize: driver exploded/)),
      );
      const server = await serve(app);
      try {
        expect((await new Client(server.url).request('/api/session')).status).toBe(503);
      } finally {
        await server.close();
      }
    } finally {
      errors.mockRestore();
    }
  });
});
