// config.csrf through real HTTP servers, on every h3 flavor (vitest.h3v2.mts): the origin check, the session-bound
// token (XSRF-TOKEN cookie, X-XSRF-TOKEN header) and what a refusal leaves behind: nothing.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getSession, updateSession, useSession, type CsrfOptions } from '../src/index';
import { createTestApp } from './support/h3-app';
import { Client, serve, type Served } from './support/http';
import { createSessionApp, SECRET } from './support/session-app';
import { memoryStore, type StoreUnderTest } from './support/stores';

const TOKEN_COOKIE = 'XSRF-TOKEN';

/** A browser tab of the app: keeps cookies, and sends what a same-origin page's fetch sends (Origin, Sec-Fetch-Site, token). */
class Tab extends Client {
  get token(): string | undefined {
    return this.cookies.get(TOKEN_COOKIE);
  }

  /** A POST as the app's own page makes it through Angular's HttpClient. */
  post(path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<Response> {
    const own = { origin: this.base, 'sec-fetch-site': 'same-origin', ...(this.token ? { 'x-xsrf-token': this.token } : {}) };
    return this.request(path, { body, headers: { ...own, ...headers } });
  }

  /** What a form on another site makes the browser send: the cookies, its own Origin, no token header. */
  crossSiteForm(path: string, from: string, site = 'cross-site'): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { origin: from, 'sec-fetch-site': site, 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader },
    });
  }

  async count(): Promise<number | undefined> {
    return (await this.json<{ data: { n?: number } }>('/session')).data.n;
  }
}

async function startApp(csrf: boolean | CsrfOptions) {
  const underTest = await memoryStore();
  const { app } = createSessionApp(underTest.store, { csrf });
  app.post('/hooks/in', () => ({ hooked: true }));
  const server = await serve(app);
  return { underTest, server };
}

async function signedIn(server: Served, user = 'ada'): Promise<Tab> {
  const tab = new Tab(server.url);
  // The login page's first POST: the visitor has no session yet, so no token either.
  expect((await tab.post('/login', { user })).status).toBe(200);
  expect(tab.token).toMatch(/^[\w-]{43}$/);
  return tab;
}

async function refusal(response: Response) {
  expect(response.status).toBe(403);
  const body = (await response.json()) as { data?: { code?: string } };
  expect(body.data?.code).toBe('CSRF_REFUSED');
  expect(response.headers.getSetCookie()).toEqual([]);
}

describe('csrf: the session-bound token and the origin check', () => {
  let underTest: StoreUnderTest;
  let server: Served;
  beforeAll(async () => ({ underTest, server } = await startApp({ ignore: ['/hooks/'] })));
  afterAll(async () => {
    await server.close();
    await underTest.dispose();
  });

  it('sets a token cookie scripts can read with the session cookie, and a same-origin fetch with it passes', async () => {
    const tab = await signedIn(server);
    const set = tab.lastSetCookies.find((cookie) => cookie.name === TOKEN_COOKIE)!;
    expect(set.attributes['httponly']).toBeUndefined();
    expect(set.attributes['path']).toBe('/');
    expect(set.attributes['samesite']).toBe('Lax');
    expect((await tab.post('/inc')).status).toBe(200);
    expect(await tab.count()).toBe(1);
  });

  it('refuses a cross-site form, even on a same-site origin that gets the cookie, and changes nothing', async () => {
    const tab = await signedIn(server);
    await tab.post('/inc');
    const port = new URL(server.url).port;
    for (const [from, site] of [
      ['https://evil.example', 'cross-site'],
      [`http://localhost:${port}`, 'same-site'], // another host of the same site: SameSite=Lax sends the cookie
      [`http://127.0.0.1:${Number(port) + 1}`, 'same-site'], // another port
      [`https://127.0.0.1:${port}`, 'same-site'], // another scheme
    ]) {
      await refusal(await tab.crossSiteForm('/inc', from, site));
    }
    expect(await tab.count()).toBe(1);
  });

  it('refuses a foreign Origin without Sec-Fetch-Site (older browsers), and Origin: null', async () => {
    const tab = await signedIn(server);
    await refusal(await tab.post('/inc', {}, { origin: 'https://evil.example', 'sec-fetch-site': '' }));
    await refusal(await tab.post('/inc', {}, { origin: 'null' }));
    await refusal(await tab.post('/inc', {}, { origin: `${server.url}/path` }));
    expect(await tab.count()).toBeUndefined();
  });

  it('refuses a request without the token, with a stale token (before regeneration) or with another session token', async () => {
    const tab = await signedIn(server);
    const other = await signedIn(server, 'grace');
    await refusal(await tab.post('/inc', {}, { 'x-xsrf-token': '' }));
    await refusal(await tab.post('/inc', {}, { 'x-xsrf-token': 'x'.repeat(43) }));
    await refusal(await tab.post('/inc', {}, { 'x-xsrf-token': other.token! }));
    const before = tab.token!;
    expect((await tab.post('/regenerate')).status).toBe(200);
    expect(tab.token).not.toBe(before);
    await refusal(await tab.post('/inc', {}, { 'x-xsrf-token': before }));
    expect(await tab.count()).toBeUndefined();
    expect((await tab.post('/inc')).status).toBe(200);
    expect(await tab.count()).toBe(1);
  });

  it('a refused request costs no store write: not even the touch of a read', async () => {
    const tab = await signedIn(server);
    const keys = async () =>
      Object.fromEntries(await Promise.all((await underTest.store.getKeys()).map(async (k) => [k, await underTest.store.getItem(k)])));
    const before = await keys();
    await refusal(await tab.crossSiteForm('/inc', 'https://evil.example'));
    await refusal(await tab.post('/logout', {}, { 'x-xsrf-token': 'forged' }));
    expect(await keys()).toEqual(before);
  });

  it('never refuses a safe method, whatever the headers say', async () => {
    const tab = await signedIn(server);
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      const response = await tab.request('/session', {
        method,
        headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      });
      expect(response.status, method).not.toBe(403);
    }
  });

  it('lets ignored routes take cross-site requests', async () => {
    const tab = await signedIn(server);
    expect((await tab.crossSiteForm('/hooks/in', 'https://evil.example')).status).toBe(200);
    await refusal(await tab.crossSiteForm('/hooks', 'https://evil.example'));
  });

  it('passes a request without Origin and Sec-Fetch-Site (no browser) that carries the token', async () => {
    const tab = await signedIn(server);
    const plain = (headers: Record<string, string>) => tab.request('/inc', { body: {}, headers });
    expect((await plain({ 'x-xsrf-token': tab.token! })).status).toBe(200);
    await refusal(await plain({}));
  });

  it('leaves requests without a session alone unless anonymous is set', async () => {
    const visitor = new Tab(server.url);
    expect((await visitor.crossSiteForm('/inc', 'https://evil.example')).status).toBe(200);
  });

  it('re-issues a token cookie the browser lost, and clears it at logout', async () => {
    const tab = await signedIn(server);
    const token = tab.token!;
    tab.cookies.delete(TOKEN_COOKIE);
    await tab.json('/session');
    expect(tab.token).toBe(token);
    await tab.json('/session');
    expect(tab.lastSetCookies).toEqual([]);
    expect((await tab.post('/logout')).status).toBe(200);
    const cleared = tab.lastSetCookies.find((cookie) => cookie.name === TOKEN_COOKIE);
    expect(cleared?.attributes['max-age']).toBe('0');
    expect(tab.token).toBeUndefined();
  });
});

describe('csrf options', () => {
  it('anonymous: refuses a cross-site login form (login CSRF), lets the own page log in', async () => {
    const { underTest, server } = await startApp({ anonymous: true });
    try {
      const visitor = new Tab(server.url);
      await refusal(await visitor.crossSiteForm('/login', 'https://evil.example'));
      expect(visitor.cookies.size).toBe(0);
      await signedIn(server);
    } finally {
      await server.close();
      await underTest.dispose();
    }
  });

  it('trustProxy: the origin is the proxy forwarded scheme and host, ignored without it', async () => {
    for (const trustProxy of [true, false]) {
      const { underTest, server } = await startApp({ trustProxy });
      try {
        const tab = await signedIn(server);
        const proxied = {
          origin: 'https://app.example',
          'x-forwarded-proto': 'http, https',
          'x-forwarded-host': 'evil.example, app.example',
        };
        const response = await tab.post('/inc', {}, proxied);
        expect(response.status, `trustProxy: ${trustProxy}`).toBe(trustProxy ? 200 : 403);
      } finally {
        await server.close();
        await underTest.dispose();
      }
    }
  });

  it('a misconfigured option fails the first request, naming it', async () => {
    const { underTest, server } = await startApp({ cookieName: 'not a name' });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const response = await new Tab(server.url).request('/session');
      expect(response.status).toBe(500);
      expect(String(logged.mock.calls.flat().map((x) => (x instanceof Error ? `${x.message} ${String(x.cause)}` : x)))).toContain(
        'config.csrf.cookieName must be a valid cookie name',
      );
    } finally {
      logged.mockRestore();
      await server.close();
      await underTest.dispose();
    }
  });
});

describe('csrf without the middleware', () => {
  it('useSession(event, { ...config, csrf }) in a handler makes the same checks', async () => {
    const underTest = await memoryStore();
    const config = { store: underTest.store, secret: SECRET, csrf: true };
    const app = createTestApp()
      .get('/count', async (event) => {
        await useSession(event, config);
        return { n: getSession(event)?.['n'] ?? 0 };
      })
      .post('/inc', async (event) => {
        await useSession(event, config);
        await updateSession(event, (session) => ({ n: ((session['n'] as number) ?? 0) + 1 }));
        return { n: getSession(event)!['n'] };
      });
    const server = await serve(app);
    try {
      const tab = new Tab(server.url);
      expect((await tab.post('/inc')).status).toBe(200);
      expect(tab.token).toMatch(/^[\w-]{43}$/);
      await refusal(await tab.crossSiteForm('/inc', 'https://evil.example'));
      await refusal(await tab.post('/inc', {}, { 'x-xsrf-token': 'forged' }));
      expect((await tab.post('/inc')).status).toBe(200);
      expect(await tab.json('/count')).toEqual({ n: 2 });
    } finally {
      await server.close();
      await underTest.dispose();
    }
  });
});
