// The checks every consumer app must pass, over real HTTP against its built server on a real Redis: what a
// browser sees (cookies, statuses, Cache-Control), never the library's internals. Each app's spec calls
// describeSessionApp() with a way to start its server, and adds its own extras.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../../../tools/redis-server.mjs';
import type { AppServer } from './app-server';
import { CookieJar, SESSION_COOKIE, sessionCookies } from './cookie-jar';

export interface SessionAppContext {
  server: AppServer;
  /** Sends a request with the jar's cookies and stores the response's; checks Cache-Control when a session is involved. */
  request(jar: CookieJar, path: string, init?: RequestInit): Promise<Response>;
  /** A jar holding a live session with one visit counted. */
  newSession(): Promise<CookieJar>;
}

/** Routes whose handler sets `Cache-Control: no-store` itself (the package's summary and logout handlers). */
const OWN_NO_STORE = new Set(['/api/session', '/api/logout']);
const LOGIN = { username: 'ada', password: 'lovelace-example' };

export interface SessionAppOptions {
  /**
   * How many times the host itself sends a Set-Cookie made before an error (measured with a route that uses h3's
   * own setCookie): the Nitro beta line drops it (0; the session middleware carries its own cookie over), nitro@3.0.0
   * sends it twice. The session cookie must come once, or as often as the host repeats it, all copies identical.
   * @default 1
   */
  hostCookieCopiesOnError?: (ctx: SessionAppContext) => Promise<number>;
  /**
   * The app keeps its sessions in the Redis started here. Without it (a Worker on KV) no Redis is started, `start`
   * gets an empty URL, and the two Redis checks (records in Redis, 503 while it is down) are left out.
   * @default true
   */
  redis?: boolean;
}

export function describeSessionApp(
  name: string,
  start: (redisUrl: string) => Promise<AppServer>,
  extras?: (ctx: SessionAppContext) => void,
  options: SessionAppOptions = {},
) {
  describe(name, () => {
    let redis: Awaited<ReturnType<typeof startRedis>>;
    const ctx = {} as SessionAppContext;

    const usesRedis = options.redis ?? true;
    beforeAll(async () => {
      if (usesRedis) redis = await startRedis();
      ctx.server = await start(usesRedis ? redis.url : '');
    });
    afterAll(async () => {
      await ctx.server?.stop();
      await redis?.stop();
    });

    ctx.request = async (jar, path, init = {}) => {
      const carriesSession = jar.get() !== undefined;
      const headers = new Headers(init.headers);
      if (jar.header()) headers.set('cookie', jar.header());
      if (init.body) headers.set('content-type', 'application/json');
      let response: Response;
      try {
        response = await fetch(`${ctx.server.url}${path}`, { redirect: 'manual', ...init, headers });
      } catch (error) {
        throw new Error(`${init.method ?? 'GET'} ${path} failed; server output:\n${ctx.server.output()}`, { cause: error });
      }
      jar.store(response);
      // Every response of a request that carries a session, or that created one, must stay out of shared caches:
      // the middleware's `private, no-store`, or the `no-store` the summary and logout handlers document.
      if (carriesSession || sessionCookies(response).length > 0) {
        const expected = OWN_NO_STORE.has(path) ? /^(private, )?no-store$/ : /^private, no-store$/;
        expect(response.headers.get('cache-control'), `Cache-Control of ${path} (${response.status})`).toMatch(expected);
      }
      return response;
    };

    const json = async (response: Response) => ({ status: response.status, body: await response.json().catch(() => null) });

    ctx.newSession = async () => {
      const jar = new CookieJar();
      expect(await json(await ctx.request(jar, '/api/visits', { method: 'POST' }))).toEqual({ status: 200, body: { visits: 1 } });
      expect(jar.get(), 'a session cookie after the first write').toBeDefined();
      return jar;
    };

    const login = (jar: CookieJar, body: object = LOGIN) => ctx.request(jar, '/api/login', { method: 'POST', body: JSON.stringify(body) });

    it('gives a new visitor an anonymous session without a cookie', async () => {
      const jar = new CookieJar();
      const response = await ctx.request(jar, '/api/session');
      expect(await json(response)).toEqual({ status: 200, body: { authenticated: false } });
      expect(response.headers.getSetCookie()).toEqual([]);
    });

    it('counts visits across requests on one session ID', async () => {
      const jar = await ctx.newSession();
      const id = jar.get();
      const second = await ctx.request(jar, '/api/visits', { method: 'POST' });
      expect(await json(second)).toEqual({ status: 200, body: { visits: 2 } });
      expect(await json(await ctx.request(jar, '/api/visits', { method: 'POST' }))).toEqual({ status: 200, body: { visits: 3 } });
      expect(jar.get()).toBe(id);
    });

    it('keeps every one of 10 parallel updates of one session', async () => {
      const jar = await ctx.newSession();
      const responses = await Promise.all(Array.from({ length: 10 }, () => ctx.request(jar.copy(), '/api/visits', { method: 'POST' })));
      const bodies = await Promise.all(responses.map(json));
      expect(bodies.map(({ status }) => status)).toEqual(Array(10).fill(200));
      // Each request saw the count its own update wrote: none ran on a stale copy.
      expect(bodies.map(({ body }) => body.visits).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(await json(await ctx.request(jar, '/api/visits', { method: 'POST' }))).toEqual({ status: 200, body: { visits: 12 } });
    });

    // Registered only for apps on Redis (a Worker keeps its sessions in KV): not a skipped test, no test at all.
    if (usesRedis)
      it('keeps sessions in Redis, not in the server process', async () => {
        const before = Number(execFileSync('redis-cli', ['-p', String(redis.port), 'dbsize'], { encoding: 'utf8' }));
        await ctx.newSession();
        const after = Number(execFileSync('redis-cli', ['-p', String(redis.port), 'dbsize'], { encoding: 'utf8' }));
        expect(after, 'keys in Redis after a new session was written').toBeGreaterThan(before);
      });

    it('refuses a wrong password with 401', async () => {
      const response = await login(new CookieJar(), { username: 'ada', password: 'wrong' });
      expect(response.status).toBe(401);
    });

    it('regenerates the session at login: the old cookie is then anonymous', async () => {
      const jar = await ctx.newSession();
      const before = jar.copy();
      const response = await login(jar);
      expect(await json(response)).toEqual({ status: 200, body: { authenticated: true } });
      expect(sessionCookies(response)).toHaveLength(1);
      expect(jar.get()).not.toBe(before.get());
      expect(await json(await ctx.request(jar, '/api/session'))).toEqual({
        status: 200,
        body: {
          authenticated: true,
          user: { id: 'u1', name: 'Ada Lovelace' },
          expiresAt: expect.any(Number),
          absoluteExpiresAt: null,
          now: expect.any(Number),
        },
      });
      expect(await json(await ctx.request(jar, '/api/me'))).toEqual({ status: 200, body: { user: { id: 'u1', name: 'Ada Lovelace' } } });
      expect(await json(await ctx.request(before, '/api/session'))).toEqual({ status: 200, body: { authenticated: false } });
      expect((await ctx.request(before, '/api/me')).status).toBe(401);
    });

    it('answers 401 on a signed-in-only route for an anonymous visitor', async () => {
      expect((await ctx.request(new CookieJar(), '/api/me')).status).toBe(401);
      expect((await ctx.request(await ctx.newSession(), '/api/me')).status).toBe(401);
    });

    it('gives a tampered cookie a fresh session (200, never 500)', async () => {
      const jar = await ctx.newSession();
      const value = jar.get()!;
      const tampered = value.slice(0, -1) + (value.endsWith('A') ? 'B' : 'A');
      jar.set(SESSION_COOKIE, tampered);
      expect(await json(await ctx.request(jar, '/api/session'))).toEqual({ status: 200, body: { authenticated: false } });
      const write = await ctx.request(jar, '/api/visits', { method: 'POST' });
      expect(await json(write)).toEqual({ status: 200, body: { visits: 1 } });
      expect(jar.get()).not.toBe(tampered);
      expect(jar.get()).not.toBe(value);
    });

    it('logs out: the cookie is cleared and the old one is anonymous', async () => {
      const jar = new CookieJar();
      await login(jar);
      const before = jar.copy();
      const response = await ctx.request(jar, '/api/logout', { method: 'POST' });
      expect(await json(response)).toEqual({ status: 200, body: { authenticated: false } });
      expect(sessionCookies(response)).toHaveLength(1);
      expect(jar.get()).toBeUndefined();
      expect(await json(await ctx.request(before, '/api/session'))).toEqual({ status: 200, body: { authenticated: false } });
    });

    /** After a response that set the cookie: the session it names is stored (a write adds to it, no new ID). */
    async function expectLiveSession(jar: CookieJar) {
      const value = jar.get();
      const response = await ctx.request(jar, '/api/visits', { method: 'POST' });
      expect(await json(response)).toEqual({ status: 200, body: { visits: 1 } });
      expect(jar.get(), 'the same session ID').toBe(value);
    }

    it('sends the cookie, exactly once, with a 409 thrown after a write', async () => {
      const jar = new CookieJar();
      const response = await ctx.request(jar, '/api/conflict', { method: 'POST' });
      expect(response.status).toBe(409);
      const copies = Math.max(1, (await options.hostCookieCopiesOnError?.(ctx)) ?? 1);
      expect(sessionCookies(response)).toHaveLength(copies);
      expect(new Set(sessionCookies(response)).size).toBe(1);
      await expectLiveSession(jar);
    });

    it('sends the cookie, exactly once, with a redirect() after a write', async () => {
      const jar = new CookieJar();
      const response = await ctx.request(jar, '/api/redirect');
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/api/session');
      expect(sessionCookies(response)).toHaveLength(1);
      await expectLiveSession(jar);
    });

    extras?.(ctx);

    // Last: it stops Redis (and starts an empty one on the same port afterwards).
    if (usesRedis)
      it('answers 503 quickly, not 500, when Redis is down, and recovers when it is back', async () => {
        const jar = await ctx.newSession();
        await redis.kill();
        try {
          const started = Date.now();
          const read = await ctx.request(jar, '/api/session');
          expect(read.status, `GET /api/session with Redis down; server output:\n${ctx.server.output().slice(-3000)}`).toBe(503);
          expect(Date.now() - started).toBeLessThan(5000);
          expect((await ctx.request(jar, '/api/visits', { method: 'POST' })).status).toBe(503);
        } finally {
          await redis.start();
        }
        const deadline = Date.now() + 10_000;
        let status = 0;
        while (Date.now() < deadline && status !== 200) {
          status = (await ctx.request(jar.copy(), '/api/visits', { method: 'POST' })).status;
          if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(status, 'a write after Redis is back').toBe(200);
      });
  });
}
