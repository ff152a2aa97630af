import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { expect, test, type BrowserContext, type Page, type Request } from '@playwright/test';
import { AccountPage } from './pages/account.po';
import { LoginPage } from './pages/login.po';
import { runDataDir } from './support/env';
import { ADA, XSRF_COOKIE, logInWithApi, sessionCookie } from './support/session';

/** Logs in through the form and waits for the account page. */
async function logInWithForm(page: Page): Promise<AccountPage> {
  const login = new LoginPage(page);
  await login.goto();
  await login.logInAs(ADA.username, ADA.password);
  await expect(page).toHaveURL(/\/account$/);
  const account = new AccountPage(page);
  await expect(account.name).toHaveText(ADA.name);
  return account;
}

async function xsrfCookie(context: BrowserContext) {
  return (await context.cookies()).find((cookie) => cookie.name === XSRF_COOKIE);
}

async function visitsOf(context: BrowserContext): Promise<number> {
  return ((await (await context.request.get('/api/account')).json()) as { visits: number }).visits;
}

test.describe('CSRF: the session-bound token (csrf option) with the Angular app', () => {
  test('the app works unchanged: its POSTs carry the token from the XSRF-TOKEN cookie, which changes with the session ID', async ({
    page,
    context,
  }) => {
    const posts: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request);
    });
    const account = await logInWithForm(page);
    const token = await xsrfCookie(context);
    expect(token?.httpOnly).toBe(false);
    expect(token?.path).toBe('/');
    expect(token?.value).toMatch(/^[\w-]{43}$/);

    await account.countVisitAndExpect(1);
    const visit = posts.find((request) => request.url().endsWith('/api/visits'))!;
    expect(await visit.headerValue('x-xsrf-token')).toBe(token!.value);

    await account.regenerate.click();
    await expect(account.notice).toContainText(/new session ID/i);
    const rotated = await xsrfCookie(context);
    expect(rotated?.value).not.toBe(token!.value);
    await account.countVisitAndExpect(2);
  });

  test('a fetch from the page with Sec-Fetch-Site: same-origin passes with the token, and is refused without it', async ({ page }) => {
    await logInWithForm(page);
    const statuses = await page.evaluate(async () => {
      const token = document.cookie.match(/(?:^|; )XSRF-TOKEN=([^;]*)/)?.[1] ?? '';
      const post = (headers: Record<string, string>) => fetch('/api/visits', { method: 'POST', headers }).then((r) => r.status);
      return {
        withToken: await post({ 'X-XSRF-TOKEN': token }),
        without: await post({}),
        forged: await post({ 'X-XSRF-TOKEN': 'x'.repeat(43) }),
      };
    });
    expect(statuses).toEqual({ withToken: 200, without: 403, forged: 403 });
  });
});

test.describe('CSRF: a form on another origin', () => {
  let attacker: Server;
  let attackerOrigin: string;

  // The attacker's page: a form that posts to the demo as soon as it loads. Served on another port of the same host,
  // so it is the same SITE: SameSite=Lax lets the browser send the session cookie with it.
  test.beforeAll(async ({ baseURL }) => {
    attacker = createServer((request, response) => {
      const target = `${baseURL}${request.url === '/logout' ? '/api/auth/logout' : '/api/visits'}`;
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!doctype html><form method="post" action="${target}"><input name="x" value="1"></form>
        <script>document.forms[0].submit()</script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  });
  test.afterAll(async () => {
    await new Promise((resolve) => attacker.close(resolve));
  });

  test('is refused with 403 and changes nothing, though the browser sent the session cookie', async ({ page, context }) => {
    await logInWithApi(context.request, ADA);
    const before = await visitsOf(context);
    const sent = page.waitForRequest((request) => request.url().endsWith('/api/visits'));
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/visits'));
    await page.goto(`${attackerOrigin}/visit`);
    const request = await sent;
    expect(await request.headerValue('cookie')).toContain('__Host-sid=');
    expect(await request.headerValue('origin')).toBe(attackerOrigin);
    expect((await answered).status()).toBe(403);
    expect(await visitsOf(context)).toBe(before);

    const logout = page.waitForResponse((response) => response.url().endsWith('/api/auth/logout'));
    await page.goto(`${attackerOrigin}/logout`);
    expect((await logout).status()).toBe(403);
    expect((await (await context.request.get('/api/session')).json()).authenticated).toBe(true);
  });
});

test.describe('step-up: "Sign out everywhere else" needs a sign-in within 5 minutes', () => {
  /**
   * Moves the session's last sign-in 10 minutes back, in the demo's store (its default, the SQLite file `sessions.db`
   * under the run's data dir): the record of a session ID is the row whose id ends with the SHA-256 hex of the ID.
   * What a user who signed in long ago has.
   */
  async function signedInLongAgo(context: BrowserContext): Promise<void> {
    const id = decodeURIComponent((await sessionCookie(context))!.value)
      .slice(2)
      .split('.')[0]!;
    const hash = createHash('sha256').update(id).digest('hex');
    const db = createClient({ url: `file:${join(runDataDir(), 'sessions.db')}` });
    try {
      const { rows } = await db.execute({ sql: 'SELECT id, value FROM analog_sessions WHERE id LIKE ?', args: [`%${hash}`] });
      expect(rows).toHaveLength(1);
      const record = String(rows[0]!['value']);
      const aged = record.replace(/"authAt":(\d+)/, (_, at: string) => `"authAt":${Number(at) - 10 * 60_000}`);
      expect(aged).not.toBe(record);
      await db.execute({ sql: 'UPDATE analog_sessions SET value = ? WHERE id = ?', args: [aged, rows[0]!['id']] });
    } finally {
      db.close();
    }
  }

  test('an old sign-in is sent to sign in again, then back, and the action then works', async ({ page, context, browser }) => {
    const other = await browser.newContext();
    try {
      await logInWithApi(other.request, ADA);
      const account = await logInWithForm(page);
      await signedInLongAgo(context);

      await account.signOutEverywhereElse.click();
      await expect(page).toHaveURL(/\/login\?reauthenticate=1&returnUrl=%2Faccount$/);
      await expect(page.getByRole('main').getByRole('status')).toHaveText('For your security, sign in again to continue.');
      expect((await other.request.get('/api/account')).status()).toBe(200);

      const login = new LoginPage(page);
      await login.logInAs(ADA.username, ADA.password);
      await expect(page).toHaveURL(/\/account$/);
      await account.signOutEverywhereElse.click();
      await expect(account.sessionsNotice).toContainText(/Signed out \d+ other sessions?\./);
      expect((await other.request.get('/api/account')).status()).toBe(401);
    } finally {
      await other.close();
    }
  });
});
