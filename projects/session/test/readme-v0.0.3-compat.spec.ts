// The code samples of the v0.0.3 README (the first published API), as written there where they are
// complete and wrapped in functions where they are fragments; only hosts, ports and secrets differ. They
// must type-check (tsconfig.spec.json) and run against real servers, on a real Redis and on memory. Its short
// secrets ('my-super-secret-key') are accepted because Vitest sets NODE_ENV=test; anywhere but in development or
// test they are refused at the first request (src/core/config.spec.ts, test/prerender.spec.ts).
import { createApp, createError, createRouter, defineEventHandler, getRouterParam, readBody, type H3Event } from 'h3';
import { createStorage, type Storage } from 'unstorage';
import memoryDriver from 'unstorage/drivers/memory';
import redisDriver from 'unstorage/drivers/redis';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  RedisSessionStore,
  unsignCookie,
  UnstorageSessionStore,
  useSession,
  type SessionDataT,
  type SessionHandler,
} from '@analog-tools/session';
// @ts-expect-error plain ESM helper shared with e2e/ and bench/
import { startRedis } from '../../../tools/redis-server.mjs';
import { Client, serve, type Served } from './support/http';

// "Type Safety", as in the README.
declare module '@analog-tools/session' {
  export interface SessionDataT {
    userId?: string;
    username?: string;
    isAuthenticated: boolean;
    lastAccess?: Date;
    preferences?: {
      theme: 'light' | 'dark';
      language: string;
    };
  }
}

// The Quick Start's counter, declared the same way (our tsconfig forbids reading undeclared keys with a dot).
declare module '@analog-tools/session' {
  export interface SessionDataT {
    visits?: number;
  }
}

let redis: { url: string; stop(): Promise<void> };
let REDIS_HOST: string;
let REDIS_PORT: number;
const servers: Served[] = [];
beforeAll(async () => {
  redis = await startRedis();
  const url = new URL(redis.url);
  REDIS_HOST = url.hostname;
  REDIS_PORT = Number(url.port);
});
afterAll(async () => {
  for (const served of servers) await served.close();
  await redis?.stop();
});

async function served(app: ReturnType<typeof createApp>): Promise<Client> {
  const server = await serve(app);
  servers.push(server);
  return new Client(server.url);
}

/** The README's placeholder, implemented. */
async function validateUser(username: string, password: string) {
  return username === 'ada' && password === 'lovelace' ? { id: 'u1', username, role: 'admin' } : null;
}

function quickStart(sessionStore: UnstorageSessionStore) {
  return defineEventHandler(async (event) => {
    // Initialize session
    await useSession(event, {
      store: sessionStore,
      secret: 'my-super-secret-key',
    });
    // Access session data
    const session = event.context.sessionHandler;
    // Get session data
    void session.data;
    // Update session data
    session.update((data) => ({
      ...data,
      visits: (data.visits || 0) + 1,
    }));
    // Save session (required after modifications)
    await session.save();
    return {
      sessionId: session.id,
      visits: session.data.visits,
    };
  });
}

/** "Session Configuration" (src/lib/session.ts), with the storage of the run. */
function sessionModule(storage: Storage) {
  const SESSION_SECRET = process.env['SESSION_SECRET'] || 'development-secret';
  // Create session store
  const sessionStore = new UnstorageSessionStore(storage, {
    ttl: 60 * 60 * 24 * 7, // 1 week
    prefix: 'app-sess',
  });
  // Session configuration
  const sessionConfig = {
    store: sessionStore,
    secret: SESSION_SECRET,
    cookie: {
      path: '/',
      httpOnly: true,
      secure: process.env['NODE_ENV'] === 'production',
      maxAge: 60 * 60 * 24 * 7, // 1 week
    },
    saveUninitialized: false,
  };
  return { sessionStore, sessionConfig };
}

/** The Analog app of the README: session middleware, login route, auth middleware, protected route. */
function analogApp(storage: Storage) {
  const { sessionConfig } = sessionModule(storage);
  // src/server/middleware/session.ts
  const sessionMiddleware = defineEventHandler(async (event) => {
    await useSession(event, sessionConfig);
  });
  // src/server/routes/api/auth/login.ts
  const login = defineEventHandler(async (event) => {
    const { username, password } = await readBody(event);
    const user = await validateUser(username, password);
    if (!user) {
      return { success: false, message: 'Invalid credentials' };
    }
    // Setup session
    await useSession(event);
    // Store user info in session
    const session = event.context.sessionHandler;
    session.set({
      userId: user.id,
      username: user.username,
      role: user.role,
      isAuthenticated: true,
    });
    // Save session
    await session.save();
    return { success: true };
  });
  // src/server/middleware/auth.ts
  const auth = defineEventHandler(async (event) => {
    // Access session from previous middleware
    const session = event.context.sessionHandler;
    // Check if user is authenticated
    if (!session?.data?.isAuthenticated) {
      throw createError({
        statusCode: 401,
        message: 'Authentication required',
      });
    }
  });
  // src/server/routes/api/protected/[id].ts
  const protectedRoute = defineEventHandler(async (event) => {
    const session = event.context.sessionHandler;
    const id = getRouterParam(event, 'id');
    // User is guaranteed to be authenticated here
    return {
      id,
      username: session.data.username,
      message: `This is protected resource ${id}`,
    };
  });

  const app = createApp().use(sessionMiddleware);
  const router = createRouter()
    .post('/api/auth/login', login)
    .get(
      '/api/protected/:id',
      defineEventHandler(async (event) => (await auth(event)) ?? protectedRoute(event)),
    )
    .post(
      '/api/logout',
      defineEventHandler(async (event) => {
        await event.context.sessionHandler.destroy();
        return { ok: true };
      }),
    )
    .post(
      '/api/prefs',
      defineEventHandler(async (event) => {
        const session: SessionHandler = event.context.sessionHandler;
        const body = await readBody(event);
        session.update(() => body);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await session.save();
        return session.data;
      }),
    );
  return app.use(router);
}

const runs: [string, () => Storage][] = [
  ['Redis', () => createStorage({ driver: redisDriver({ host: REDIS_HOST, port: REDIS_PORT }) })],
  // "Memory Store Example"
  ['memory', () => createStorage({ driver: memoryDriver() })],
];

describe.each(runs)('README v0.0.3 samples on %s', (backend, storageOf) => {
  it('Quick Start: counts visits, with the data under a hashed, expiring key', async () => {
    const storage = storageOf();
    const sessionStore = new UnstorageSessionStore(storage, {
      ttl: 60 * 60 * 24, // 1 day
      prefix: 'sess',
    });
    const client = await served(createApp().use(quickStart(sessionStore)));
    const first = await client.json('/');
    expect(first).toEqual({ sessionId: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), visits: 1 });
    expect(client.lastSetCookies[0].attributes).toMatchObject({ httponly: true, secure: true, samesite: 'Lax' });
    expect(await client.json('/')).toEqual({ sessionId: first.sessionId, visits: 2 });

    const keys = await storage.getKeys('sess');
    expect(keys).toEqual([expect.stringMatching(/^sess:[0-9a-f]{64}$/)]);
    expect(await storage.getItemRaw(keys[0])).not.toContain(first.sessionId);
    expect(await sessionStore.get(first.sessionId)).toEqual({ visits: 2 });
    expect(await sessionStore.length()).toBe(1);
    if (backend === 'Redis') {
      const driver = storage.getMount('').driver as unknown as { getInstance(): { pttl(key: string): Promise<number> } };
      const ttl = await driver.getInstance().pttl(keys[0]);
      expect(ttl).toBeGreaterThan(86_000_000);
    }
    await storage.dispose();
  });

  it('Usage with AnalogJS: login, auth middleware, protected route, logout', async () => {
    const storage = storageOf();
    const client = await served(analogApp(storage));
    expect((await client.request('/api/protected/7')).status).toBe(401);
    const refused = await client.json('/api/auth/login', { body: { username: 'ada', password: 'wrong' } });
    expect(refused).toEqual({ success: false, message: 'Invalid credentials' });
    expect(client.cookies.size).toBe(0);
    expect(await client.json('/api/auth/login', { body: { username: 'ada', password: 'lovelace' } })).toEqual({ success: true });
    expect(client.lastSetCookies[0].attributes['secure']).toBeUndefined();
    expect(await client.json('/api/protected/7')).toEqual({ id: '7', username: 'ada', message: 'This is protected resource 7' });
    expect(await storage.getKeys('app-sess')).toEqual([expect.stringMatching(/^app-sess:[0-9a-f]{64}$/)]);

    await client.json('/api/logout', { method: 'POST' });
    expect(client.cookies.size).toBe(0);
    expect(await storage.getKeys('app-sess')).toEqual([]);
    await storage.dispose();
  });

  it('save() applies what this request changed onto the freshest record: concurrent saves keep each other', async () => {
    const storage = storageOf();
    const client = await served(analogApp(storage));
    await client.json('/api/auth/login', { body: { username: 'ada', password: 'lovelace' } });
    const [a, b] = await Promise.all([
      client.clone().json('/api/prefs', { body: { theme: 'dark' } }),
      client.clone().json('/api/prefs', { body: { language: 'de' } }),
    ]);
    expect([a.theme ?? b.theme, a.language ?? b.language]).toEqual(['dark', 'de']);
    const after = await client.json('/api/prefs', { body: {} });
    expect(after).toMatchObject({ userId: 'u1', isAuthenticated: true, theme: 'dark', language: 'de' });
    await storage.dispose();
  });

  it('Secret Rotation: the last secret signs, every one verifies', async () => {
    const storage = storageOf();
    const sessionStore = new UnstorageSessionStore(storage, { ttl: 3600 });
    const handler = (secret: string | string[]) =>
      defineEventHandler(async (event) => {
        await useSession(event, {
          store: sessionStore,
          // Last secret is used for signing new cookies
          // All secrets are used for verifying existing cookies
          secret,
        });
        const session = event.context.sessionHandler;
        session.update((data) => ({ visits: (data.visits || 0) + 1 }));
        await session.save();
        return { visits: session.data.visits };
      });
    const before = await served(createApp().use(handler('old-secret-2')));
    await before.json('/');
    const rotated = new Client((await serve(createApp().use(handler(['old-secret-1', 'old-secret-2', 'new-secret'])))).url);
    rotated.cookies.set('connect.sid', before.cookies.get('connect.sid')!);
    expect(await rotated.json('/')).toEqual({ visits: 2 });
    expect(await unsignCookie(rotated.cookies.get('connect.sid')!, 'new-secret')).not.toBeNull();
    expect(await unsignCookie(rotated.cookies.get('connect.sid')!, ['old-secret-1', 'old-secret-2'])).toBeNull();
    await storage.dispose();
  });
});

describe('the rest of the v0.0.3 handler and stores', () => {
  it('RedisSessionStore, reload(), regenerate() and useSession(event) without a middleware', async () => {
    const sessionStore = new RedisSessionStore({ host: REDIS_HOST, port: REDIS_PORT, prefix: 'rss', ttl: 600 });
    const config = { store: sessionStore, secret: 'a-secret-of-thirty-two-characters!!', generate: () => ({ isAuthenticated: false }) };
    const seen: Record<string, unknown> = {};
    const app = createApp().use(
      defineEventHandler(async (event: H3Event) => {
        if (event.path === '/bare') {
          await expect(useSession(event)).rejects.toMatchObject({ code: 'INVALID_SESSION' });
          return { ok: true };
        }
        await useSession(event, config);
        const session: SessionHandler = event.context.sessionHandler;
        if (event.path === '/login') {
          session.set({ isAuthenticated: true, userId: 'u9' });
          await session.save();
          seen['before'] = session.id;
          await session.regenerate();
          return { id: session.id, data: session.data };
        }
        session.update(() => ({ username: 'not saved' }));
        await session.reload();
        return { id: session.id, data: session.data, frozen: Object.isFrozen(session.data) };
      }),
    );
    const client = await served(app);
    expect(await client.json('/bare')).toEqual({ ok: true });
    const login = await client.json('/login');
    expect(login.id).not.toBe(seen['before']);
    expect(login.data).toEqual({ isAuthenticated: false });
    expect(await client.json('/')).toEqual({ id: login.id, data: { isAuthenticated: false }, frozen: true });
    expect(await sessionStore.get(seen['before'] as string)).toBeUndefined();
    expect(await sessionStore.all()).toEqual([{ isAuthenticated: false }]);
    await sessionStore.clear();
    expect(await sessionStore.length()).toBe(0);
    await sessionStore.storage.dispose();
  });

  it('types: SessionDataT is augmentable and the handler is typed by it', () => {
    expectTypeOf<SessionDataT['isAuthenticated']>().toEqualTypeOf<boolean>();
    expectTypeOf<SessionHandler['data']['preferences']>().toEqualTypeOf<{ theme: 'light' | 'dark'; language: string } | undefined>();
    expectTypeOf<SessionHandler['save']>().returns.toEqualTypeOf<Promise<void>>();
  });
});
