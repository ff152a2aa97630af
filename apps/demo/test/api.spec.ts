import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoApi, type DemoApi } from './support/demo-api';
import { demoClient } from './support/demo-client';

// The demo's real middleware and route handlers, mounted the way Nitro mounts them, behind a real HTTP server.
let api: DemoApi;
let base: string;
let dataDir: string;

beforeAll(async () => {
  api = await startDemoApi();
  ({ base, dataDir } = api);
});

afterAll(() => api.close());

const ADA = { username: 'ada', password: 'lovelace-demo' };

describe('demo API', () => {
  it('keeps the generated secret in the data dir, readable by the owner only', () => {
    expect(statSync(join(dataDir, 'session-secret')).mode & 0o777).toBe(0o600);
  });

  it('answers an anonymous summary without setting a cookie', async () => {
    const browser = demoClient(base);
    const summary = await browser.send('GET', '/api/session');
    expect(summary.status).toBe(200);
    expect(summary.json).toEqual({ authenticated: false });
    expect(summary.setCookie).toBeNull();
    expect(summary.headers.get('cache-control')).toContain('no-store');
  });

  it('validates the login body: 400 when malformed, 401 on bad credentials, never a cookie', async () => {
    const browser = demoClient(base);
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
    const browser = demoClient(base);
    const login = await browser.send('POST', '/api/auth/login', ADA);
    expect(login.status).toBe(200);
    expect(login.json).toEqual({ authenticated: true });
    expect(login.setCookie).toMatch(/^__Host-sid=/);
    expect(login.setCookie).toMatch(/; Secure/i);
    expect(login.setCookie).toMatch(/HttpOnly/i);
    expect(login.setCookie).toMatch(/SameSite=Lax/i);
    expect(decodeURIComponent(browser.cookie.split('=')[1])).toMatch(/^s:[^.]+\.[\w+/-]+$/);

    expect((await browser.send('GET', '/api/session')).json).toEqual({
      authenticated: true,
      user: { id: 'u-ada', name: 'Ada Lovelace' },
      expiresAt: expect.any(Number),
      absoluteExpiresAt: null,
      now: expect.any(Number),
      authenticatedAt: expect.any(Number),
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

    const replay = demoClient(base);
    replay.cookie = before;
    expect((await replay.send('GET', '/api/session')).json).toEqual({ authenticated: false });
    expect((await replay.send('POST', '/api/visits')).status).toBe(401);

    const logout = await browser.send('POST', '/api/auth/logout');
    expect(logout.status).toBe(200);
    expect(logout.json).toEqual({ authenticated: false });
    expect(logout.setCookie).toMatch(/Max-Age=0/);
    expect(browser.cookie).toBe('');
  });

  it('counts every one of 20 parallel visits (the count is computed from the freshest session, in the updater)', async () => {
    const browser = demoClient(base);
    await browser.send('POST', '/api/auth/login', ADA);
    const answers = await Promise.all(Array.from({ length: 20 }, () => browser.send('POST', '/api/visits')));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(answers.map((answer) => answer.json.visits).sort((a: number, b: number) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect((await browser.send('GET', '/api/account')).json).toMatchObject({ visits: 20 });
  });

  it('refuses the private endpoints to anonymous visitors', async () => {
    const browser = demoClient(base);
    expect((await browser.send('GET', '/api/account')).status).toBe(401);
    expect((await browser.send('POST', '/api/visits')).status).toBe(401);
    expect((await browser.send('POST', '/api/auth/regenerate')).status).toBe(401);
  });

  it('redirects an HTML form login (no JavaScript) instead of answering JSON', async () => {
    const browser = demoClient(base);
    const form = (body: string) => browser.send('POST', '/api/auth/login', body, { 'content-type': 'application/x-www-form-urlencoded' });
    const refused = await form('username=ada&password=nope');
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe('/login?error=1');
    const accepted = await form('username=ada&password=lovelace-demo');
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe('/account');
    expect((await browser.send('GET', '/api/session')).json).toMatchObject({ authenticated: true });
  });

  it('refuses state-changing requests from another origin with 403, before the session is read', async () => {
    const browser = demoClient(base);
    await browser.send('POST', '/api/auth/login', ADA);
    const host = new URL(base).host;
    const cases: Record<string, string | undefined>[] = [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { origin: `https://${host}.evil.example` },
      // the right host with the wrong scheme: another origin (an https page is not this http server, and back)
      { origin: `https://${host}` },
      { origin: `ws://${host}` },
      { origin: `${base}/` },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: undefined, 'sec-fetch-site': 'cross-site' },
      // forwarded headers are ignored unless TRUST_PROXY=true (trust-proxy.spec.ts)
      { origin: `https://${host}`, 'x-forwarded-proto': 'https' },
      { origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' },
    ];
    for (const headers of cases) {
      const response = await browser.send('POST', '/api/visits', undefined, headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(response.json.statusMessage).toBe('Cross-site request refused');
      expect(response.json.data).toEqual({ code: 'CSRF_REFUSED' });
    }
    const allowed: Record<string, string | undefined>[] = [
      { origin: base },
      { 'sec-fetch-site': 'same-origin' },
      { origin: undefined, 'sec-fetch-site': 'same-origin' },
      { origin: undefined, 'sec-fetch-site': 'none' },
      // neither header: no browser's cross-site request (they all send Origin on a POST); the token decides
      { origin: undefined },
    ];
    for (const headers of allowed) {
      expect((await browser.send('POST', '/api/visits', undefined, headers)).status, JSON.stringify(headers)).toBe(200);
    }
    expect((await browser.send('GET', '/api/account')).json.visits).toBe(allowed.length);
    // Reads are never refused: a cross-site GET learns nothing (the summary carries no secret) and changes nothing.
    expect((await browser.send('GET', '/api/session', undefined, { origin: 'http://evil.example' })).status).toBe(200);
    expect((await browser.send('GET', '/api/session', undefined, { origin: undefined })).status).toBe(200);
  });

  it("refuses a signed-in request without the session's token, or with a stale or another session's one", async () => {
    const browser = demoClient(base);
    const other = demoClient(base);
    await browser.send('POST', '/api/auth/login', ADA);
    await other.send('POST', '/api/auth/login', ADA);
    const stale = browser.xsrf;
    expect((await browser.send('POST', '/api/auth/regenerate')).status).toBe(200);
    expect(browser.xsrf).not.toBe(stale);
    for (const token of [undefined, '', stale, other.xsrf]) {
      const response = await browser.send('POST', '/api/visits', undefined, { 'x-xsrf-token': token });
      expect(response.status, String(token)).toBe(403);
      expect(response.json.data).toEqual({ code: 'CSRF_REFUSED' });
    }
    expect((await browser.send('GET', '/api/account')).json.visits).toBe(0);
    expect((await browser.send('POST', '/api/visits')).status).toBe(200);
  });

  it('refuses a login posted from another site (login CSRF), not one without Origin', async () => {
    const visitor = demoClient(base);
    const refused = await visitor.send('POST', '/api/auth/login', ADA, { origin: 'http://evil.example' });
    expect(refused.status).toBe(403);
    expect(refused.setCookie).toBeNull();
    expect((await visitor.send('POST', '/api/auth/login', ADA, { origin: undefined })).status).toBe(200);
  });

  it('asks for a sign-in within 5 minutes before signing out everywhere else', async () => {
    const browser = demoClient(base);
    await browser.send('POST', '/api/auth/login', ADA);
    expect((await browser.send('POST', '/api/sessions/revoke-others')).status).toBe(200);
    const realNow = Date.now;
    Date.now = () => realNow() + 5 * 60_000 + 1_000;
    try {
      const stale = await browser.send('POST', '/api/sessions/revoke-others');
      expect(stale.status).toBe(401);
      expect(stale.json.data).toEqual({ code: 'STALE_SESSION' });
      await browser.send('POST', '/api/auth/login', ADA);
      expect((await browser.send('POST', '/api/sessions/revoke-others')).status).toBe(200);
    } finally {
      Date.now = realNow;
    }
  });
});
