// What a host does with the session's headers around errors, redirects, late writes and sub-requests, on the h3
// flavor of the run (support/h3-app.ts). h3 v2 drops the response headers of a request that ends in an error, so
// the middleware must carry the cookie over, exactly once; a SessionError must keep its status on every host.
import { createStorage, type Storage } from 'unstorage';
import memoryDriver from 'unstorage/drivers/memory';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defineSessionMiddleware, getSession, requireSession, updateSession, type SessionConfig } from '../src/index';
import { createTestApp, currentFlavor, httpError, redirectTo, type TestApp } from './support/h3-app';
import { Client, serve, type Served } from './support/http';
import { COOKIE, SECRET } from './support/session-app';

const flavor = currentFlavor();
const bump = (event: unknown) => updateSession(event as never, (s) => ({ n: ((s['n'] as number) ?? 0) + 1 }));

/** A memory store whose driver can be made to fail, as an unreachable store does. */
function faultyStore(): { store: Storage<any>; fail: { on: boolean } } {
  const fail = { on: false };
  const driver = memoryDriver();
  const wrapped = new Proxy(driver, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'dispose') return value;
      return (...args: unknown[]) => {
        if (fail.on) throw new Error('connection refused');
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: createStorage({ driver: wrapped }), fail };
}

describe(`session headers on ${flavor}`, () => {
  const { store, fail } = faultyStore();
  const config: SessionConfig = { store, secret: SECRET };
  const lateWrites: Array<Promise<unknown>> = [];
  let app: TestApp;
  let server: Served;
  beforeAll(async () => {
    app = createTestApp()
      .use(defineSessionMiddleware(config))
      .get('/session', (event) => ({ data: getSession(event) }))
      .post('/inc', async (event) => (await bump(event), getSession(event)))
      .get('/private', (event) => requireSession(event))
      .post('/conflict', async (event) => {
        await bump(event);
        throw httpError(event, 409, 'Conflict');
      })
      .get('/redirect', async (event) => (await bump(event), redirectTo(event, '/session')))
      .post('/refused', async (event) => (await bump(event), new Response('refused', { status: 409 })))
      .post('/later', (event) => {
        // The write lands after the response: it must settle without an unhandled rejection, and be stored.
        lateWrites.push(new Promise((resolve) => setTimeout(resolve, 30)).then(() => bump(event)));
        return { scheduled: true };
      })
      .get('/outer', async (event) => {
        const inner = await (app.h3 as { request(path: string, init?: RequestInit): Promise<Response> }).request('/session');
        return { outer: getSession(event), inner: await inner.json() };
      });
    server = await serve(app);
  });
  afterAll(() => server.close());

  const sessionCookies = (client: Client) => client.lastSetCookies.filter((cookie) => cookie.name === COOKIE);

  it('keeps the cookie of a write made before a thrown HTTP error, exactly once, with Cache-Control', async () => {
    const client = new Client(server.url);
    const response = await client.request('/conflict', { method: 'POST' });
    expect(response.status).toBe(409);
    expect(sessionCookies(client)).toHaveLength(1);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(await client.json('/session')).toEqual({ data: { n: 1 } });
  });

  it('answers requireSession() on an anonymous request 401 with the fixed text, without logging it as a server error', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const response = await new Client(server.url).request('/private');
      expect(response.status).toBe(401);
      expect(JSON.stringify(await response.json())).toContain('Unauthorized');
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });

  it('keeps the cookie of a write made before returning an error Response', async () => {
    const client = new Client(server.url);
    const response = await client.request('/refused', { method: 'POST' });
    expect(response.status).toBe(409);
    expect(sessionCookies(client)).toHaveLength(1);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(await client.json('/session')).toEqual({ data: { n: 1 } });
  });

  it('keeps the cookie of a write made before a redirect', async () => {
    const client = new Client(server.url);
    const response = await client.request('/redirect', { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(sessionCookies(client)).toHaveLength(1);
    expect(await client.json('/session')).toEqual({ data: { n: 1 } });
  });

  it('sets the cookie once when one request writes twice', async () => {
    const client = new Client(server.url);
    await client.json('/inc', { method: 'POST' });
    const twice = client.clone();
    twice.cookies.clear();
    await twice.json('/inc', { method: 'POST' });
    expect(sessionCookies(twice)).toHaveLength(1);
  });

  it('stores a write made after the response, without failing the request or the write', async () => {
    const client = new Client(server.url);
    await client.json('/inc', { method: 'POST' });
    lateWrites.length = 0;
    expect(await client.json('/later', { method: 'POST' })).toEqual({ scheduled: true });
    await expect(Promise.all(lateWrites)).resolves.toBeDefined();
    expect(await client.json('/session')).toEqual({ data: { n: 2 } });
  });

  it('answers a storage outage with 503 (STORAGE_ERROR), never 500, on a request with a session', async () => {
    const client = new Client(server.url);
    await client.json('/inc', { method: 'POST' });
    fail.on = true;
    try {
      const response = await client.request('/session');
      expect(response.status).toBe(503);
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      expect(await response.text()).not.toContain('connection refused');
    } finally {
      fail.on = false;
    }
  });

  // h3 v1 has no in-process sub-request of its own.
  if (flavor !== 'h3v1') {
    it('reads a sub-request its own Cookie header, not its parent request', async () => {
      const client = new Client(server.url);
      await client.json('/inc', { method: 'POST' });
      expect(await client.json('/outer')).toEqual({ outer: { n: 1 }, inner: { data: {} } });
    });
  }
});
