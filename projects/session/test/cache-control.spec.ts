// No shared cache may ever serve one user's response to another: every response of a request that carries
// a session is marked `Cache-Control: private, no-store` unless the app opts out.
import { createApp, createError, createRouter, defineEventHandler, setResponseHeader } from 'h3';
import { createStorage } from 'unstorage';
import { afterEach, describe, expect, it } from 'vitest';
import { defineSessionMiddleware, getSession, setSessionUser, updateSession, useSession, type SessionConfig } from '../src/index';
import { Client, serve, type Served } from './support/http';
import { COOKIE, SECRET } from './support/session-app';

let server: Served | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(overrides: Partial<SessionConfig> = {}, withMiddleware = true): Promise<Client> {
  const config: SessionConfig = { store: createStorage(), secret: SECRET, ...overrides };
  const app = createApp();
  if (withMiddleware) app.use(defineSessionMiddleware(config));
  app.use(
    createRouter()
      .get(
        '/page',
        defineEventHandler(() => '<html><body>page</body></html>'),
      )
      .get(
        '/api/read',
        defineEventHandler((event) => ({ session: getSession(event) })),
      )
      .get(
        '/public',
        defineEventHandler((event) => {
          setResponseHeader(event, 'Cache-Control', 'public, max-age=60');
          return 'public page';
        }),
      )
      .get(
        '/boom',
        defineEventHandler(() => createError({ statusCode: 404, statusMessage: 'Not Found' })),
      )
      .post(
        '/login',
        defineEventHandler(async (event) => {
          await useSession(event, config);
          await setSessionUser(event, 'ada');
          return { ok: true };
        }),
      )
      .post(
        '/visit',
        defineEventHandler(async (event) => {
          await useSession(event, config);
          await updateSession(event, (s) => ({ visits: ((s['visits'] as number) ?? 0) + 1 }));
          return { ok: true };
        }),
      ),
  );
  server = await serve(app);
  return new Client(server.url);
}

describe('Cache-Control on responses of requests that carry a session', () => {
  it('leaves anonymous requests without a cookie cacheable', async () => {
    const client = await start();
    for (const path of ['/page', '/api/read']) {
      expect((await client.request(path)).headers.get('cache-control')).toBeNull();
    }
    expect((await client.request('/public')).headers.get('cache-control')).toBe('public, max-age=60');
  });

  it('marks the response that creates the session, and every later one: pages, API, 404s', async () => {
    const client = await start();
    const created = await client.request('/visit', { method: 'POST' });
    expect(created.headers.getSetCookie()).toHaveLength(1);
    expect(created.headers.get('cache-control')).toBe('private, no-store');
    for (const path of ['/page', '/api/read', '/boom', '/missing']) {
      const response = await client.request(path);
      expect(response.headers.get('cache-control'), path).toBe('private, no-store');
    }
  });

  it('marks a request that presents a cookie it cannot use (tampered or unknown)', async () => {
    const client = await start();
    client.cookies.set(COOKIE, 's:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await client.request('/page')).headers.get('cache-control')).toBe('private, no-store');
  });

  it('lets a handler that sets its own Cache-Control override it', async () => {
    const client = await start();
    await client.request('/login', { method: 'POST' });
    expect((await client.request('/public')).headers.get('cache-control')).toBe('public, max-age=60');
  });

  it('marks sessions of handlers that call useSession without the middleware', async () => {
    const client = await start({}, false);
    expect((await client.request('/visit', { method: 'POST' })).headers.get('cache-control')).toBe('private, no-store');
    expect((await client.request('/visit', { method: 'POST' })).headers.get('cache-control')).toBe('private, no-store');
  });

  it('takes another value through the cacheControl option, or none with false', async () => {
    let client = await start({ cacheControl: 'private, max-age=0, must-revalidate' });
    await client.request('/login', { method: 'POST' });
    expect((await client.request('/page')).headers.get('cache-control')).toBe('private, max-age=0, must-revalidate');
    await server!.close();
    client = await start({ cacheControl: false });
    const login = await client.request('/login', { method: 'POST' });
    expect(login.headers.get('cache-control')).toBeNull();
    expect((await client.request('/page')).headers.get('cache-control')).toBeNull();
  });
});
