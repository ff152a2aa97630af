// Every call and type the upstream auth package (MrBacony/analog-tools `packages/auth`, as of 0.0.18 and of
// 0.0.24) makes of this API, written here in the same shapes (our code, not theirs): it must type-check
// (tsconfig.spec.json) and behave compatibly against a real Redis and a real HTTP server.
import { createApp, defineEventHandler, type H3Event } from 'h3';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createUnstorageStore,
  destroySession,
  getSession,
  refetchSession,
  regenerateSession,
  updateSession,
  useSession,
  type AvailableDrivers,
  type DriverOptions,
  type ExtractDriverOptions,
  type SessionData,
  type Storage,
} from '@analog-tools/session';
import type { Storage as UnstorageStorage } from 'unstorage';
// @ts-expect-error plain ESM helper shared with e2e/ and bench/
import { startRedis } from '../../../tools/redis-server.mjs';
import { Client, serve, type Served } from './support/http';

/** The auth package's session shape: optional members and an index signature. */
interface AuthSession {
  auth?: { isAuthenticated: boolean; accessToken?: string; refreshToken?: string; expiresAt?: number };
  user?: Record<string, unknown> | null;
  state?: string;
  [key: string]: unknown;
}

/** Its storage config: a plain `driver: DriverOptions` member. */
interface StorageConfig {
  driver: DriverOptions;
  sessionSecret: string | string[];
  cookieName?: string;
}

/** Its session service, reduced to the calls it makes. */
class AuthSessions {
  private store!: Storage<AuthSession>;
  private raw?: UnstorageStorage<AuthSession>;

  constructor(private readonly config: StorageConfig) {}

  async init(event: H3Event): Promise<void> {
    if (getSession<AuthSession>(event)) return;
    if (!this.store) {
      this.store = await createUnstorageStore<AuthSession>(this.config.driver);
      this.raw = this.store;
    }
    await useSession<AuthSession>(event, {
      store: this.store,
      secret: this.config.sessionSecret,
      name: this.config.cookieName || 'auth.session',
      maxAge: 60 * 60 * 24,
      cookie: { httpOnly: true, secure: process.env['NODE_ENV'] === 'production', sameSite: 'lax' },
      generate: () => ({ auth: { isAuthenticated: false } }),
    });
  }

  storage(): UnstorageStorage<AuthSession> | undefined {
    return this.raw;
  }
}

describe('types the auth package uses', () => {
  it('DriverOptions, AvailableDrivers, ExtractDriverOptions and Storage are exported with 0.0.18 shapes', () => {
    const redis: ExtractDriverOptions<'redis'> = { type: 'redis', options: { url: 'redis://localhost:6379' } };
    const memory: DriverOptions = { type: 'memory' };
    const asDriver: DriverOptions = redis;
    expectTypeOf(redis.options.url).toEqualTypeOf<string | undefined>();
    expectTypeOf<'redis'>().toMatchTypeOf<AvailableDrivers>();
    expectTypeOf<'fs'>().toMatchTypeOf<AvailableDrivers>();
    expectTypeOf(createUnstorageStore<AuthSession>).returns.resolves.toEqualTypeOf<Storage<AuthSession>>();
    expectTypeOf<Storage<AuthSession>>().toEqualTypeOf<UnstorageStorage<AuthSession>>();
    // 0.0.18 typed the default as Storage<SessionData>.
    const untyped: Promise<Storage<SessionData>> = createUnstorageStore({ type: 'memory' });
    void untyped;
    const upstreamTyped: Promise<Storage<Record<string, unknown>>> = createUnstorageStore({ type: 'memory' });
    void upstreamTyped;
    expect([asDriver.type, memory.type]).toEqual(['redis', 'memory']);
  });

  it('createUnstorageStore() without a type argument holds session data, as 0.0.18 typed it', async () => {
    const store = await createUnstorageStore({ type: 'memory' });
    await store.setItem('k', { userId: 'u1' });
    // Its items' members can be read without a cast (with the StorageValue default they could not).
    const item = await store.getItem('k');
    expect(item?.['userId']).toBe('u1');
  });

  it('refetchSession<T> resolves to T | null', () => {
    expectTypeOf(refetchSession<AuthSession>).returns.resolves.toEqualTypeOf<AuthSession | null>();
    expectTypeOf(refetchSession).parameter(0).toEqualTypeOf<H3Event>();
  });
});

describe('calls the auth package makes, at run time', () => {
  let redis: { url: string; stop(): Promise<void> };
  let server: Served;
  let background: Promise<unknown> = Promise.resolve();
  const secret = 'auth-usage-secret-0123456789-abcdefgh';

  beforeAll(async () => {
    redis = await startRedis();
    const sessions = new AuthSessions({ driver: { type: 'redis', options: { url: redis.url } }, sessionSecret: [secret] });
    const app = createApp();
    app.use(
      '/',
      defineEventHandler(async (event) => {
        await sessions.init(event);
        const path = event.path.split('?')[0];
        if (path === '/login') {
          await regenerateSession(event);
          const auth = { isAuthenticated: true, accessToken: 'a1', refreshToken: 'r1', expiresAt: Date.now() - 1 };
          await updateSession(event, () => ({ auth }));
          return { ok: true };
        }
        if (path === '/me') return (await getSession(event)) as AuthSession;
        if (path === '/refresh-in-background') {
          // The response goes out first; the refresh and its updateSession run after it, like the auth package's.
          background = (async () => {
            await new Promise((resolve) => event.node.res.once('finish', resolve));
            await updateSession(event, (current: AuthSession) => ({
              auth: { ...current.auth!, accessToken: 'a2', expiresAt: Date.now() + 60_000 },
            }));
            return getSession<AuthSession>(event);
          })();
          background.catch(() => undefined);
          return { refreshing: true };
        }
        if (path === '/logout') {
          await destroySession(event);
          return { session: getSession(event) };
        }
        return {};
      }),
    );
    server = await serve(app);
  });
  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });

  it('logs in, refreshes after the response was sent, sees it with refetchSession, logs out', async () => {
    const client = new Client(server.url);
    expect(await client.json('/login')).toEqual({ ok: true });
    expect(client.cookies.get('auth.session')).toMatch(/^s:/);
    expect(client.lastSetCookies[0].attributes['secure']).toBeUndefined();
    expect((await client.json<AuthSession>('/me')).auth?.accessToken).toBe('a1');

    // A second tab loads its copy of the session, then another request refreshes the token.
    expect(await client.json('/refresh-in-background')).toEqual({ refreshing: true });
    const refreshed = (await background) as AuthSession;
    expect(refreshed.auth?.accessToken).toBe('a2');
    expect((await client.json<AuthSession>('/me')).auth?.accessToken).toBe('a2');

    const out = await client.json('/logout');
    expect(out).toEqual({ session: null });
    expect(client.cookies.has('auth.session')).toBe(false);
  });

  it('refetchSession returns what another request wrote after this one loaded the session', async () => {
    const client = new Client(server.url);
    await client.json('/login');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let loaded!: () => void;
    const hasLoaded = new Promise<void>((resolve) => (loaded = resolve));
    const slow = createApp();
    const sessions = new AuthSessions({ driver: { type: 'redis', options: { url: redis.url } }, sessionSecret: secret });
    slow.use(
      '/',
      defineEventHandler(async (event) => {
        await sessions.init(event);
        const before = getSession<AuthSession>(event)!.auth?.accessToken;
        loaded();
        await gate;
        const latest = (await refetchSession<AuthSession>(event))?.auth?.accessToken;
        return { before, latest, after: getSession<AuthSession>(event)!.auth?.accessToken };
      }),
    );
    const slowServer = await serve(slow);
    try {
      const pending = new Client(slowServer.url);
      pending.cookies.set('auth.session', client.cookies.get('auth.session')!);
      const answer = pending.json('/');
      await hasLoaded;
      await client.json('/refresh-in-background');
      await background;
      release();
      expect(await answer).toEqual({ before: 'a1', latest: 'a2', after: 'a2' });
    } finally {
      await slowServer.close();
    }
  });

  it('refetchSession is null without a stored session', async () => {
    const app = createApp().use(
      '/',
      defineEventHandler(async (event) => {
        const before = await refetchSession(event);
        await useSession(event, { store: await createUnstorageStore({ type: 'memory' }), secret });
        return { before, after: await refetchSession(event) };
      }),
    );
    const local = await serve(app);
    try {
      expect(await new Client(local.url).json('/')).toEqual({ before: null, after: null });
    } finally {
      await local.close();
    }
  });

  it('keeps the upstream error phrases callers match on', async () => {
    const event = { context: {} } as H3Event;
    await expect(updateSession(event, () => ({}))).rejects.toThrow('No active session found');
    await expect(updateSession(event, () => ({}))).rejects.toMatchObject({ code: 'INVALID_SESSION' });
    await expect(regenerateSession(event)).rejects.toThrow('No active session to regenerate');
  });
});
