// Building and prerendering an app that installs the session middleware: Nitro's prerenderer fetches each
// route with an `x-nitro-prerender` header, at build time, where neither the secret nor the store exists.
import { createApp, createRouter, defineEventHandler, readBody, type H3Error } from 'h3';
import { createStorage, type Storage } from 'unstorage';
import memoryDriver from 'unstorage/drivers/memory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  defineSessionLogoutHandler,
  defineSessionMiddleware,
  getSession,
  getSessionUser,
  isSessionError,
  regenerateSession,
  setSessionUser,
  updateSession,
  useSession,
  type SessionConfig,
} from '../src/index';
import { Client, serve } from './support/http';
import { SECRET } from './support/session-app';

const PRERENDER = (route: string) => ({ 'x-nitro-prerender': encodeURI(route) });

/** A memory store that records every driver call. */
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

/** An app shaped like an Analog server: the middleware, a page, a write route; errors captured as thrown. */
async function start(config: SessionConfig) {
  const errors: H3Error[] = [];
  const app = createApp({ onError: (error) => void errors.push(error) });
  app.use(defineSessionMiddleware(config));
  app.use(
    createRouter()
      .get(
        '/',
        defineEventHandler((event) => ({ session: getSession(event), user: getSessionUser(event) })),
      )
      .get(
        '/about',
        defineEventHandler((event) => ({ session: getSession(event) })),
      )
      .post(
        '/write',
        defineEventHandler(async (event) => {
          const { op } = await readBody<{ op: string }>(event);
          if (op === 'update') await updateSession(event, () => ({ visits: 1 }));
          if (op === 'regenerate') await regenerateSession(event);
          if (op === 'user') await setSessionUser(event, 'ada');
          return { ok: true };
        }),
      )
      .post(
        '/login',
        defineEventHandler(async (event) => {
          await regenerateSession(event);
          await setSessionUser(event, 'ada');
          return { ok: true };
        }),
      )
      .post('/logout', defineSessionLogoutHandler()),
  );
  const server = await serve(app);
  return { server, client: new Client(server.url), errors };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('defining the middleware (build time)', () => {
  it.each([
    ['no secret and no store', {}],
    ['an empty secret', { secret: '', store: createStorage() }],
    ['a short secret in production', { secret: 'short', store: createStorage() }],
    ['a store that is not a Storage', { secret: SECRET, store: {} }],
  ])('does not throw with %s', (_, config) => {
    for (const env of ['production', undefined]) {
      vi.stubEnv('NODE_ENV', env);
      expect(() => defineSessionMiddleware(config as SessionConfig)).not.toThrow();
    }
  });
});

describe('a prerender request (x-nitro-prerender)', () => {
  it('needs neither the secret nor the store: an anonymous session with the generated data, no cookie', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { server, client, errors } = await start({ generate: () => ({ visits: 0 }) } as unknown as SessionConfig);
    try {
      const response = await client.request('/', { headers: PRERENDER('/') });
      expect(errors).toEqual([]);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ session: { visits: 0 }, user: null });
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(response.headers.get('cache-control')).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('honours the header only without a session cookie: a visitor who sends it keeps their session and can log out', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { store } = countingStore();
    const { server, client } = await start({ store, secret: SECRET });
    try {
      await client.json('/login', { method: 'POST' });
      const spoofed = await client.request('/', { headers: PRERENDER('/') });
      expect(await spoofed.json()).toEqual({ session: {}, user: 'ada' });
      expect(spoofed.headers.get('cache-control')).toBe('private, no-store');
      const logout = await client.request('/logout', { method: 'POST', headers: PRERENDER('/logout') });
      expect(logout.status).toBe(200);
      expect(client.lastSetCookies[0]).toMatchObject({ value: '', attributes: { 'max-age': '0' } });
      expect(await store.getKeys()).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('says so in the build log: one line per prerendered route, naming it and how to exclude it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { server, client } = await start({ store: createStorage(), secret: SECRET });
    try {
      // Routes no other test of this file prerenders: the log names each route once per process.
      await client.request('/about', { headers: PRERENDER('/about') });
      await client.request('/about', { headers: PRERENDER('/about') });
      await client.request('/about');
      await client.request('/contact', { headers: PRERENDER('/contact') });
      const lines = warn.mock.calls.map((call) => call.join(' '));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^\[@analog-tools\/session\] prerendering "\/about": .*static and anonymous.*prerender: \{ routes: \[\] \}/);
      expect(lines[1]).toMatch(/prerendering "\/contact"/);
      expect(lines.every((line) => !line.includes('\n'))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it.each(['update', 'regenerate', 'user'])('refuses a write (%s) with an error that names the route and the fix', async (op) => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { store, calls } = countingStore();
    const { server, client, errors } = await start({ store, secret: SECRET });
    try {
      const response = await client.request('/write', { body: { op }, headers: PRERENDER('/write') });
      // A client can send the header too: what it gets is a client error, never a server error.
      expect(response.status).toBe(400);
      expect(response.headers.getSetCookie()).toEqual([]);
      const error = errors[0].cause;
      expect(isSessionError(error) && error.code).toBe('PRERENDER_WRITE');
      expect((error as Error).message).toMatch(/prerender.*"\/write".*prerender: \{ routes: \[\] \}/);
      expect(calls).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('useSession() called by a handler, without the middleware', () => {
  it('gives a prerender request the same anonymous session, without awaiting a store that never comes', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const config = { store: new Promise<never>(() => undefined), secret: undefined } as unknown as SessionConfig;
    const app = createApp().use(
      '/',
      defineEventHandler(async (event) => {
        await useSession(event, config);
        return { session: getSession(event) };
      }),
    );
    const server = await serve(app);
    try {
      const response = await new Client(server.url).request('/', { headers: PRERENDER('/handler-only') });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ session: {} });
    } finally {
      await server.close();
    }
  });
});

describe('the first request that is not a prerender', () => {
  it.each([
    ['no secret', 'production', { store: createStorage() }, /config.secret must be a non-empty string.*openssl rand/],
    ['a short secret in production', 'production', { store: createStorage(), secret: 'short' }, /at least 32 characters.*openssl rand/],
    // A Worker has no NODE_ENV: the seed README's secret is refused there too, at the first request.
    ['a short secret with no NODE_ENV', undefined, { store: createStorage(), secret: 'my-super-secret-key' }, /32 characters.*not set/],
    ['no store', 'production', { secret: SECRET }, /config.store is missing.*createUnstorageStore/],
  ])('fails with CONFIG_ERROR and a message naming the fix, with %s', async (_, env, config, message) => {
    vi.stubEnv('NODE_ENV', env);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { server, client, errors } = await start(config as SessionConfig);
    try {
      expect((await client.request('/', { headers: PRERENDER('/') })).status).toBe(200);
      const response = await client.request('/');
      expect(response.status).toBe(500);
      expect((await response.json()).statusMessage).toBe('Session misconfigured');
      const error = errors[0].cause as Error;
      expect(isSessionError(error) && error.code).toBe('CONFIG_ERROR');
      expect(error.message).toMatch(/^\[@analog-tools\/session\] defineSessionMiddleware\(\): /);
      expect(error.message).toMatch(message);
      expect((await client.request('/')).status).toBe(500);
    } finally {
      await server.close();
    }
  });
});
