import { expect, test, type APIRequestContext, type BrowserContext, type Page, type Request } from '@playwright/test';
import { AccountPage } from './pages/account.po';
import { LoginPage } from './pages/login.po';
import { violations } from './support/axe';
import { ADA, GRACE, logInWithApi, sessionCookie } from './support/session';

// What apps/demo/src/app/app.config.ts passes to withIdleTimeout().
const WARN_BEFORE = 60_000;
const TOUCH_AFTER = 60_000;

interface ServerSummary {
  authenticated: boolean;
  expiresAt: number;
  absoluteExpiresAt: number | null;
  now: number;
}

/** The server's summary for the context's cookie: its idle expiry, as the store has it. */
async function serverSummary(request: APIRequestContext): Promise<ServerSummary> {
  const response = await request.get('/api/session');
  expect(response.status()).toBe(200);
  return (await response.json()) as ServerSummary;
}

function isTouch(request: Request): boolean {
  return request.method() === 'POST' && new URL(request.url()).pathname === '/api/session';
}

/** Opens /account and waits until the app runs in the browser (the idle expiry is shown only there). */
async function openAccount(page: Page): Promise<AccountPage> {
  const account = new AccountPage(page);
  await account.goto();
  await expect(account.name).toHaveText(ADA.name);
  await expect(account.idleExpiry).not.toHaveText('Not known yet');
  return account;
}

async function browserNow(page: Page): Promise<number> {
  return page.evaluate(() => Date.now());
}

test.describe('idle timeout', () => {
  test('the warning appears warnBefore before the server idle expiry, and "Stay signed in" extends it there', async ({ context, page }) => {
    await page.clock.install();
    await logInWithApi(context.request, ADA);
    const account = await openAccount(page);
    const before = await serverSummary(context.request);

    // Just before the warning instant (the browser's clock is the server's here: same machine).
    await page.clock.fastForward(before.expiresAt - WARN_BEFORE - (await browserNow(page)) - 2_000);
    await expect(account.timeoutDialog).toBeHidden();
    await page.clock.fastForward(3_000);
    await expect(account.timeoutDialog).toBeVisible();
    await expect(account.timeoutDialog).toContainText(/signed out in 0:5\d/);
    await expect(account.staySignedIn).toBeFocused();
    expect(await violations(page)).toEqual([]);

    const touched = page.waitForResponse((response) => isTouch(response.request()));
    await account.staySignedIn.click();
    const answer = (await (await touched).json()) as ServerSummary;
    await expect(account.timeoutDialog).toBeHidden();
    // The record's idle expiry moved on the server (its clock ran on meanwhile; the browser's jumped ahead).
    expect(answer.expiresAt).toBeGreaterThan(before.expiresAt);
    expect((await serverSummary(context.request)).expiresAt).toBe(answer.expiresAt);
    await expect(account.name).toHaveText(ADA.name);
  });

  test('"Sign out" in the warning ends the session', async ({ context, page }) => {
    await page.clock.install();
    await logInWithApi(context.request, ADA);
    const account = await openAccount(page);
    const { expiresAt } = await serverSummary(context.request);
    await page.clock.fastForward(expiresAt - WARN_BEFORE - (await browserNow(page)) + 1_000);
    await account.signOutNow.click();
    await expect(page).toHaveURL(/\/login$/);
    expect((await serverSummary(context.request)).authenticated).toBe(false);
  });

  test('three tabs of one browser send one keep-alive', async ({ context }) => {
    const first = await context.newPage();
    await first.clock.install();
    await logInWithApi(context.request, ADA);
    const pages = [first, await context.newPage(), await context.newPage()];
    const accounts: AccountPage[] = [];
    for (const page of pages) accounts.push(await openAccount(page));
    const shownBefore = await accounts[0].idleExpiry.textContent();
    const touches: Request[] = [];
    context.on('request', (request) => {
      if (isTouch(request)) touches.push(request);
    });

    // Past touchAfter since the pages loaded; then the visitor is active in every tab.
    await first.clock.fastForward(TOUCH_AFTER + 1_000);
    for (const page of pages) {
      await page.mouse.move(20, 20);
      await page.mouse.move(40, 60);
      await page.keyboard.press('Shift');
    }

    // Every tab shows the new expiry: the one touch's answer reached them all.
    for (const account of accounts) await expect(account.idleExpiry).not.toHaveText(shownBefore ?? '');
    expect(touches).toHaveLength(1);
  });
});

test.describe('session ends pushed to open tabs', () => {
  /** A device signed in as Grace on /account, once its tab listens to the session's event stream. */
  async function signedInDevice(context: BrowserContext): Promise<AccountPage> {
    await logInWithApi(context.request, GRACE);
    const page = await context.newPage();
    const account = new AccountPage(page);
    const stream = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/auth/session-events');
    await account.goto();
    await expect(account.name).toHaveText(GRACE.name);
    expect((await stream).status()).toBe(200);
    return account;
  }

  test('"Sign out everywhere else" on one device shows the reason on the other within 2 s, without any action there', async ({
    browser,
  }) => {
    const deviceA = await browser.newContext();
    const deviceB = await browser.newContext();
    try {
      // B first, so that A's list of sessions (read when its page loads) has B in it.
      const b = await signedInDevice(deviceB);
      const a = await signedInDevice(deviceA);

      await expect(a.signOutEverywhereElse).toBeVisible();
      await a.signOutEverywhereElse.click();
      await expect(a.sessionsNotice).toContainText('Signed out');

      await expect(b.endedBanner).toContainText('You were signed out from another tab or device.', { timeout: 2_000 });
      await expect(b.sessionStatus).toContainText('Not signed in');
      await expect(b.page).toHaveURL(/\/login\?returnUrl=%2Faccount$/);
      expect(await violations(b.page)).toEqual([]);
      await expect(a.name).toHaveText(GRACE.name);
    } finally {
      await deviceA.close();
      await deviceB.close();
    }
  });
});

test('"Remember me" on the login form: ticked, a lasting cookie; not ticked, one that ends with the browser', async ({ page, context }) => {
  const login = new LoginPage(page);
  for (const remember of [true, false]) {
    await context.clearCookies();
    await login.goto();
    await login.rememberMe.setChecked(remember);
    const sent = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/auth/login');
    await login.logInAs(ADA.username, ADA.password);
    expect((await sent).postDataJSON()).toEqual({ username: ADA.username, password: ADA.password, remember });
    await expect(page).toHaveURL(/\/account$/);
    const cookie = await sessionCookie(context);
    // Playwright reports a cookie without Max-Age/Expires (a browser-session cookie) with expires -1.
    if (remember) expect(cookie?.expires).toBeGreaterThan(Date.now() / 1000);
    else expect(cookie?.expires).toBe(-1);
  }
});

test('after a session ended under /account, logging in again returns there', async ({ page }) => {
  const login = new LoginPage(page);
  await page.goto('/login?returnUrl=%2Faccount%3Ffrom%3Dtest');
  await login.logInAs(ADA.username, ADA.password);
  await expect(page).toHaveURL(/\/account\?from=test$/);
});
