// The code samples of the v0.0.18 README (the API we promise to keep), copied verbatim where they are
// complete and wrapped in functions where they are fragments; only hosts and secrets differ. They must
// type-check (tsconfig.spec.json) and run against real servers. Its short secrets ('your-secret-key') are accepted
// because Vitest sets NODE_ENV=test; anywhere but in development or test they are refused at the first request
// (src/core/config.spec.ts, test/prerender.spec.ts).
import { createApp, createError, createRouter, defineEventHandler, readBody, type H3Event } from 'h3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUnstorageStore,
  destroySession,
  getSession,
  regenerateSession,
  signCookie,
  unsignCookie,
  updateSession,
  useSession,
} from '../src/index';
// @ts-expect-error plain ESM helper shared with e2e/ and bench/
import { startRedis } from '../../../tools/redis-server.mjs';
import { Client, serve, type Served } from './support/http';

let redis: { url: string; stop(): Promise<void> };
beforeAll(async () => {
  redis = await startRedis();
  process.env['REDIS_URL'] = redis.url;
  process.env['SESSION_SECRET'] = 'readme-secret-0123456789-abcdefghijkl';
});
afterAll(() => redis?.stop());

async function served(handler: ReturnType<typeof defineEventHandler>): Promise<Served> {
  return serve(createApp().use('/', handler));
}

describe('README v0.0.18 samples', () => {
  it('Quick Start: counts visits on Redis', async () => {
    const store = await createUnstorageStore({
      type: 'redis',
      options: { url: process.env['REDIS_URL']! },
    });

    const handler = defineEventHandler(async (event) => {
      await useSession(event, {
        store,
        secret: process.env['SESSION_SECRET']!,
        maxAge: 86400,
      });

      const session = getSession(event);
      void session;

      await updateSession(event, (data) => ({
        visits: ((data['visits'] as number) || 0) + 1,
        lastAccess: Date.now(),
      }));

      return { visits: getSession(event)?.['visits'] || 0 };
    });

    const server = await served(handler);
    const client = new Client(server.url);
    expect(await client.json('/')).toEqual({ visits: 1 });
    expect(await client.json('/')).toEqual({ visits: 2 });
    await server.close();
    await store.dispose();
  });

  it('useSession with every documented option, getSession<T>, updateSession<T>, destroySession', async () => {
    const store = await createUnstorageStore({ type: 'memory' });
    interface UserSession {
      userId?: string;
      roles?: string[];
      lastActivity?: number;
      loginCount?: number;
      createdAt?: number;
    }
    const handler = defineEventHandler(async (event) => {
      await useSession(event, {
        store,
        secret: 'your-secret-key',
        name: 'my-app-session', // cookie name (default: 'connect.sid')
        maxAge: 3600, // TTL in seconds (default: 86400)
        cookie: {
          secure: false,
          httpOnly: true,
          sameSite: 'strict',
        },
        generate: () => ({ createdAt: Date.now() }),
      });
      const session = getSession<UserSession>(event);
      if (session?.userId) {
        // session is typed as UserSession
      }
      await updateSession<UserSession>(event, (current) => ({
        lastActivity: Date.now(),
        loginCount: (current.loginCount || 0) + 1,
      }));
      const result = getSession<UserSession>(event);
      if (event.path.includes('bye')) await destroySession(event);
      return result;
    });
    const server = await served(handler);
    const client = new Client(server.url);
    const first = await client.json('/');
    expect(first.loginCount).toBe(1);
    expect(typeof first.createdAt).toBe('number');
    expect(client.lastSetCookies[0]).toMatchObject({ name: 'my-app-session', attributes: { 'max-age': '3600', samesite: 'Strict' } });
    expect((await client.json('/')).loginCount).toBe(2);
    await client.json('/bye');
    expect(client.cookies.size).toBe(0);
    await server.close();
  });

  it('createUnstorageStore: redis, fs, memory (and cloudflare-kv-binding type-checks)', async () => {
    const store = await createUnstorageStore({
      type: 'redis',
      options: { url: process.env['REDIS_URL']! },
    });
    const fsStore = await createUnstorageStore({
      type: 'fs',
      options: { base: './tmp/.sessions' },
    });
    const memStore = await createUnstorageStore({ type: 'memory' });
    for (const s of [store, fsStore, memStore]) {
      await s.setItem('probe', { ok: true });
      expect(await s.getItem('probe')).toEqual({ ok: true });
      await s.removeItem('probe');
    }
    await store.dispose();
    // Needs a Workers runtime to run; type-checking the call is what this sample can show here.
    const makeKv = () =>
      createUnstorageStore({
        type: 'cloudflare-kv-binding',
        options: { binding: 'MY_KV_NAMESPACE' },
      });
    expect(typeof makeKv).toBe('function');
  });

  it('signCookie / unsignCookie', async () => {
    const signed = await signCookie('session-id-123', 'secret');
    expect(signed).toMatch(/^s:session-id-123\./);
    const value = await unsignCookie(signed, ['current-secret', 'old-secret']);
    expect(value).toBeNull();
    expect(await unsignCookie(signed, ['current-secret', 'secret'])).toBe('session-id-123');
  });

  it('Error Handling: STORAGE_ERROR mapped to 503 by the app', async () => {
    const unreachable = await createUnstorageStore({
      type: 'redis',
      options: { url: 'redis://127.0.0.1:1', maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true },
    });
    const sessionConfig = { store: unreachable, secret: process.env['SESSION_SECRET']!, timeout: 500 };
    const handler = defineEventHandler(async (event) => {
      try {
        await useSession(event, sessionConfig);
      } catch (err) {
        const sessionErr = err as Error & { code?: string };
        if (sessionErr.code === 'STORAGE_ERROR') {
          throw createError({ statusCode: 503, statusMessage: 'Session storage unavailable' });
        }
        throw createError({ statusCode: 500, statusMessage: 'Session initialization failed' });
      }

      const session = getSession(event);
      if (!session) {
        throw createError({ statusCode: 401, statusMessage: 'No session' });
      }

      return { ok: true };
    });
    const server = await served(handler);
    // no cookie: nothing to load, the store is not needed
    expect(await (await fetch(server.url)).json()).toEqual({ ok: true });
    const withCookie = await fetch(server.url, {
      headers: { cookie: `connect.sid=${encodeURIComponent(await signCookie('A'.repeat(32), process.env['SESSION_SECRET']!))}` },
    });
    expect(withCookie.status).toBe(503);
    await server.close();
    await unreachable.dispose();
  });

  describe('Authentication Flow', () => {
    interface AuthSession {
      userId?: string;
      username?: string;
      loginTime?: number;
    }
    async function validateCredentials(username: string, password: string) {
      return username === 'ada' && password === 'pw' ? { id: 'u1', username } : null;
    }
    let server: Served;

    beforeAll(async () => {
      const store = await createUnstorageStore({
        type: 'redis',
        options: { url: process.env['REDIS_URL']! },
      });

      const sessionConfig = {
        store,
        secret: process.env['SESSION_SECRET']!,
        maxAge: 3600,
        cookie: {
          secure: process.env['NODE_ENV'] === 'production',
          httpOnly: true,
          sameSite: 'strict' as const,
        },
      };

      // Login handler
      const loginHandler = defineEventHandler(async (event) => {
        await useSession<AuthSession>(event, sessionConfig);

        const { username, password } = await readBody(event);
        const user = await validateCredentials(username, password);

        if (!user) {
          throw createError({ statusCode: 401, statusMessage: 'Invalid credentials' });
        }

        // Prevent session fixation
        await regenerateSession(event);

        await updateSession<AuthSession>(event, () => ({
          userId: user.id,
          username: user.username,
          loginTime: Date.now(),
        }));

        return { authenticated: true };
      });

      // Protected handler
      const protectedHandler = defineEventHandler(async (event) => {
        await useSession<AuthSession>(event, sessionConfig);

        const session = getSession<AuthSession>(event);
        if (!session?.userId) {
          throw createError({ statusCode: 401, statusMessage: 'Not authenticated' });
        }

        return { user: { id: session.userId, username: session.username } };
      });

      // Logout handler
      const logoutHandler = defineEventHandler(async (event) => {
        await useSession<AuthSession>(event, sessionConfig);
        await destroySession(event);
        return { authenticated: false };
      });

      server = await serve(
        createApp().use(createRouter().post('/login', loginHandler).get('/me', protectedHandler).post('/logout', logoutHandler)),
      );
    });
    afterAll(() => server?.close());

    it('logs in with a new session ID, serves the protected route, logs out', async () => {
      const client = new Client(server.url);
      expect((await client.request('/me')).status).toBe(401);
      expect((await client.request('/login', { body: { username: 'ada', password: 'nope' } })).status).toBe(401);
      await client.json('/login', { body: { username: 'ada', password: 'pw' } });
      expect(await client.json('/me')).toEqual({ user: { id: 'u1', username: 'ada' } });
      const stolen = client.clone();
      await client.json('/logout', { method: 'POST' });
      expect((await client.request('/me')).status).toBe(401);
      expect((await stolen.request('/me')).status).toBe(401);
    });
  });

  it('Typed Sessions and Secret Rotation', async () => {
    const store = await createUnstorageStore({ type: 'memory' });
    interface AppSession {
      userId: string;
      roles: string[];
      preferences: {
        theme: 'light' | 'dark';
        language: string;
      };
      lastActivity: number;
    }

    const typed = (secret: string | string[]) =>
      defineEventHandler(async (event: H3Event) => {
        await useSession<AppSession>(event, {
          store,
          secret,
          generate: () => ({
            userId: '',
            roles: [],
            preferences: { theme: 'light', language: 'en' },
            lastActivity: Date.now(),
          }),
        });

        const session = getSession<AppSession>(event);
        // TypeScript knows: session.preferences.theme is 'light' | 'dark'
        const theme: 'light' | 'dark' | undefined = session?.preferences.theme;

        await updateSession<AppSession>(event, () => ({
          lastActivity: Date.now(),
        }));
        return { theme };
      });

    const before = await served(typed('old-secret-2024'));
    let client = new Client(before.url);
    /** The same browser, talking to the restarted server. */
    const moveTo = (url: string) => {
      const next = new Client(url);
      for (const [k, v] of client.cookies) next.cookies.set(k, v);
      client = next;
    };
    expect(await client.json('/')).toEqual({ theme: 'light' });
    await before.close();
    // Step 1: the new secret first, the old one still verifies
    const config = { store, secret: ['new-secret-2025', 'old-secret-2024'] };
    const during = await served(typed(config.secret));
    moveTo(during.url);
    const data = await client.json('/');
    expect(data).toEqual({ theme: 'light' });
    const afterRotationCookie = client.cookies.get('connect.sid')!;
    expect(await unsignCookie(afterRotationCookie, 'new-secret-2025')).not.toBeNull();
    await during.close();
    // Step 2: the old secret removed
    const configAfterRotation = { store, secret: 'new-secret-2025' };
    const after = await served(typed(configAfterRotation.secret));
    moveTo(after.url);
    expect(await client.json('/')).toEqual({ theme: 'light' });
    await after.close();
  });
});
