import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, createRouter, toNodeListener, type EventHandler } from 'h3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The demo's real middleware and route handlers, mounted the way Nitro mounts them, behind a real HTTP server.
const dataDir = mkdtempSync(join(tmpdir(), 'session-demo-api-'));
let server: Server;
let base: string;

beforeAll(async () => {
  process.env['SESSION_DATA_DIR'] = dataDir;
  delete process.env['SESSION_SECRET'];
  delete process.env['REDIS_URL'];
  const load = async (path: string) => ((await import(path)) as { default: EventHandler }).default;

  const app = createApp();
  // Nitro runs middleware files in name order: origin-guard.ts, then session.ts.
  app.use(await load('../src/server/middleware/origin-guard'));
  app.use(await load('../src/server/middleware/session'));
  const router = createRouter()
    .post('/api/auth/login', await load('../src/server/routes/api/auth/login.post'))
    .post('/api/auth/regenerate', await load('../src/server/routes/api/auth/regenerate.post'))
    .post('/api/auth/logout', await load('../src/server/routes/api/auth/logout.post'))
    .get('/api/session', await load('../src/server/routes/api/session.get'))
    .get('/api/account', await load('../src/server/routes/api/account.get'))
    .post('/api/visits', await load('../src/server/routes/api/visits.post'));
  app.use(router);

  server = createServer(toNodeListener(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

/** A tiny cookie-keeping client, like a browser on the demo's origin. */
function client() {
  let cookie = '';
  return {
    get cookie() {
      return cookie;
    },
    set cookie(value: string) {
      cookie = value;
    },
    async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(cookie ? { cookie } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        redirect: 'manual',
      });
      const setCookie = response.headers.get('set-cookie');
      if (setCookie) {
        const pair = setCookie.split(';')[0];
        cookie = pair.endsWith('=') ? '' : pair;
      }
      const isJson = response.headers.get('content-type')?.includes('json') ?? false;
      const json = isJson ? await response.json() : (await response.text(), undefined);
      return { status: response.status, headers: response.headers, json, setCookie };
    },
  };
}

const ADA = { username: 'ada', password: 'lovelace-demo' };

describe('demo API', () => {
  it('keeps the generated secret in the data dir, readable by the owner only', () => {
    expect(statSync(join(dataDir, 'session-secret')).mode & 0o777).toBe(0o600);
  });

  it('answers an anonymous summary without setting a cookie', async () => {
    const browser = client();
    const summary = await browser.send('GET', '/api/session');
    expect(summary.status).toBe(200);
    expect(summary.json).toEqual({ authenticated: false });
    expect(summary.setCookie).toBeNull();
    expect(summary.headers.get('cache-control')).toContain('no-store');
  });

  it('validates the login body: 400 when malformed, 401 on bad credentials, never a cookie', async () => {
    const browser = client();
    for (const body of ['{"username":', { username: 'ada' }, { username: 1, password: 2 }, [], 'null']) {
      const response = await browser.send('POST', '/api/auth/login', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.setCookie).toBeNull();
    }
    const wrong = await browser.send('POST', '/api/auth/login', { username: 'ada', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.statusMessage).toBe('Invalid username or password');
    expect(wrong.setCookie).toBeNull();
  });

  it('logs in, counts visits, regenerates and logs out', async () => {
    const browser = client();
    const login = await browser.send('POST', '/api/auth/login', ADA);
    expect(login.status).toBe(200);
    expect(login.json).toEqual({ authenticated: true });
    expect(login.setCookie).toMatch(/HttpOnly/i);
    expect(login.setCookie).toMatch(/SameSite=Lax/i);
    expect(decodeURIComponent(browser.cookie.split('=')[1])).toMatch(/^s:[^.]+\.[\w+/-]+$/);

    expect((await browser.send('GET', '/api/session')).json).toEqual({
      authenticated: true,
      user: { id: 'u-ada', name: 'Ada Lovelace' },
    });
    expect((await browser.send('POST', '/api/visits')).json).toEqual({ visits: 1 });
    expect((await browser.send('POST', '/api/visits')).json).toEqual({ visits: 2 });

    const before = browser.cookie;
    const regenerated = await browser.send('POST', '/api/auth/regenerate');
    expect(regenerated.status).toBe(200);
    expect(browser.cookie).not.toBe(before);
    const account = await browser.send('GET', '/api/account');
    expect(account.json).toMatchObject({ name: 'Ada Lovelace', visits: 2 });
    expect(typeof account.json.loginAt).toBe('number');

    const replay = client();
    replay.cookie = before;
    expect((await replay.send('GET', '/api/session')).json).toEqual({ authenticated: false });
    expect((await replay.send('POST', '/api/visits')).status).toBe(401);

    const logout = await browser.send('POST', '/api/auth/logout');
    expect(logout.status).toBe(200);
    expect(logout.json).toEqual({ authenticated: false });
    expect(logout.setCookie).toMatch(/Max-Age=0/);
    expect(browser.cookie).toBe('');
  });

  it('refuses the private endpoints to anonymous visitors', async () => {
    const browser = client();
    expect((await browser.send('GET', '/api/account')).status).toBe(401);
    expect((await browser.send('POST', '/api/visits')).status).toBe(401);
    expect((await browser.send('POST', '/api/auth/regenerate')).status).toBe(401);
  });

  it('redirects an HTML form login (no JavaScript) instead of answering JSON', async () => {
    const browser = client();
    const form = (body: string) =>
      browser.send('POST', '/api/auth/login', body, { 'content-type': 'application/x-www-form-urlencoded' });
    const refused = await form('username=ada&password=nope');
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe('/login?error=1');
    const accepted = await form('username=ada&password=lovelace-demo');
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe('/account');
    expect((await browser.send('GET', '/api/session')).json).toMatchObject({ authenticated: true });
  });

  it('refuses state-changing requests from another origin with 403, before the session is read', async () => {
    const browser = client();
    await browser.send('POST', '/api/auth/login', ADA);
    const host = new URL(base).host;
    const cases: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { origin: `https://${host}.evil.example` },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of cases) {
      const response = await browser.send('POST', '/api/visits', undefined, headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(response.json.statusMessage).toBe('Cross-origin request refused');
    }
    const allowed: Record<string, string>[] = [{ origin: base }, { 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'none' }, {}];
    for (const headers of allowed) {
      expect((await browser.send('POST', '/api/visits', undefined, headers)).status, JSON.stringify(headers)).toBe(200);
    }
    expect((await browser.send('GET', '/api/account')).json.visits).toBe(allowed.length);
    // Reads are never refused: a cross-site GET learns nothing (the summary carries no secret) and changes nothing.
    expect((await browser.send('GET', '/api/session', undefined, { origin: 'http://evil.example' })).status).toBe(200);
  });
});
