import { expect, test, type Page, type Request } from '@playwright/test';
import { AccountPage } from './pages/account.po';
import { LoginPage } from './pages/login.po';
import { holdRequests } from './support/hold-requests';
import { ADA, SIGNED_COOKIE, sessionCookie } from './support/session';

test.describe('login, regenerate, logout', () => {
  test('logging in through the form lands on /account with the name; the cookie is __Host-, Secure, HttpOnly, Lax and signed', async ({
    page,
    context,
  }) => {
    const login = new LoginPage(page);
    const account = new AccountPage(page);
    await login.goto();
    expect(await sessionCookie(context)).toBeUndefined();

    await login.logInAs(ADA.username, ADA.password);

    await expect(page).toHaveURL(/\/account$/);
    await expect(account.heading).toBeVisible();
    await expect(account.name).toHaveText(ADA.name);
    await expect(account.sessionStatus).toContainText(`Signed in as ${ADA.name}`);

    const cookie = await sessionCookie(context);
    expect(cookie).toBeDefined();
    expect(cookie!.name).toBe('__Host-sid');
    // Secure even over http://127.0.0.1: browsers treat loopback as a secure context.
    expect(cookie!.secure).toBe(true);
    expect(cookie!.domain).toBe('127.0.0.1');
    expect(cookie!.httpOnly).toBe(true);
    expect(cookie!.sameSite).toBe('Lax');
    expect(cookie!.path).toBe('/');
    expect(decodeURIComponent(cookie!.value)).toMatch(SIGNED_COOKIE);
  });

  test('a wrong password is announced and keeps the visitor anonymous', async ({ page, context }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.waitForApp();
    await login.logInAs(ADA.username, 'not-the-password');

    await expect(login.alert).toHaveText('That username and password do not match a demo account.');
    await expect(page).toHaveURL(/\/login$/);
    await expect(login.password).toBeFocused();
    expect(await sessionCookie(context)).toBeUndefined();
  });

  test('regenerating changes the cookie, keeps the data, and the old cookie no longer works', async ({ page, context, browser }) => {
    const account = new AccountPage(page);
    await new LoginPage(page).goto();
    await new LoginPage(page).logInAs(ADA.username, ADA.password);
    await expect(account.name).toHaveText(ADA.name);
    await account.countVisitAndExpect(1);
    await account.countVisitAndExpect(2);
    const beforeCookie = (await sessionCookie(context))!;
    const before = beforeCookie.value;

    await account.regenerate.click();

    await expect(account.notice).toContainText('New session ID issued');
    const after = (await sessionCookie(context))!.value;
    expect(after).not.toBe(before);
    expect(decodeURIComponent(after)).toMatch(SIGNED_COOKIE);
    await page.reload();
    await expect(account.name).toHaveText(ADA.name);
    await expect(account.visits).toHaveText('2');
    await account.countVisitAndExpect(3);

    // The old ID must be gone from the store: replayed in a fresh browser, it is anonymous.
    const replay = await browser.newContext();
    try {
      // The whole cookie (host-only, Secure): Chromium refuses a `__Host-` cookie without them.
      await replay.addCookies([beforeCookie]);
      const summary = await replay.request.get('/api/session');
      expect(await summary.json()).toEqual({ authenticated: false });
      const replayPage = await replay.newPage();
      await replayPage.goto('/account');
      await expect(replayPage).toHaveURL(/\/login\?returnUrl=%2Faccount$/);
      await expect(new LoginPage(replayPage).heading).toBeVisible();
      await expect(replayPage.getByText(ADA.name)).toHaveCount(0);
    } finally {
      await replay.close();
    }
  });

  test('logging out clears the cookie; /account then redirects and Back shows no private data', async ({ page, context }) => {
    const account = new AccountPage(page);
    const login = new LoginPage(page);
    await login.goto();
    await login.logInAs(ADA.username, ADA.password);
    await expect(account.name).toHaveText(ADA.name);

    // Private responses must never be stored (no HTTP cache, no bfcache).
    const document = await page.request.get('/account');
    expect(document.headers()['cache-control']).toContain('no-store');
    const api = await page.request.get('/api/account');
    expect(api.headers()['cache-control']).toContain('no-store');

    await account.logOut.click();

    await expect(page).toHaveURL(/\/login$/);
    await expect(login.heading).toBeVisible();
    expect(await sessionCookie(context)).toBeUndefined();

    await page.goBack();
    await expect(login.heading).toBeVisible();
    await expect(page.getByText(ADA.name)).toHaveCount(0);
    await expect(account.visits).toHaveCount(0);

    await page.goto('/account');
    await expect(page).toHaveURL(/\/login\?returnUrl=%2Faccount$/);
    await expect(page.getByText(ADA.name)).toHaveCount(0);
  });

  test('a tampered cookie is anonymous, not an error', async ({ page, context }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.logInAs(ADA.username, ADA.password);
    await expect(new AccountPage(page).name).toHaveText(ADA.name);

    const cookie = (await sessionCookie(context))!;
    const decoded = decodeURIComponent(cookie.value);
    // Flip the first character of the signature (the last one may only carry base64 padding bits).
    const at = decoded.lastIndexOf('.') + 1;
    const flipped = decoded[at] === 'A' ? 'B' : 'A';
    const tampered = encodeURIComponent(decoded.slice(0, at) + flipped + decoded.slice(at + 1));
    await context.clearCookies();
    await context.addCookies([{ ...cookie, value: tampered }]);

    const home = await page.goto('/');
    expect(home?.status()).toBe(200);
    await expect(login.sessionStatus).toContainText('Not signed in');

    const summary = await page.request.get('/api/session');
    expect(summary.status()).toBe(200);
    expect(await summary.json()).toEqual({ authenticated: false });

    const accountResponse = await page.goto('/account');
    expect(accountResponse?.status()).toBe(200);
    await expect(page).toHaveURL(/\/login\?returnUrl=%2Faccount$/);
    await expect(login.heading).toBeVisible();
  });
});

test('what is typed before the app hydrates is kept', async ({ page }) => {
  // Hold the app's scripts until the fields are filled, like a slow phone or a password manager would.
  const release = await holdRequests(page, '**/assets/*.js');
  const login = new LoginPage(page);
  await page.goto('/login', { waitUntil: 'commit' });
  await login.username.fill(ADA.username);
  await login.password.fill(ADA.password);

  release();
  await expectTypedCredentialsToSignIn(page, login);
});

test('a form sent before the app hydrates signs in once: the browser posts it, the app does not post it again', async ({ page }) => {
  // The page's own code arrives late (held below), so the click is a plain form POST. Event replay hands the
  // same submit to the app once it hydrates, while the browser is still waiting for the POST's answer.
  const releaseChunk = await holdRequests(page, '**/assets/login.page-*.js');
  const chunkLoaded = page.waitForEvent('requestfinished', (request) => /\/assets\/login\.page-[^/]+\.js$/.test(request.url()));
  const isFormPost = (request: Request) => request.headers()['content-type']?.startsWith('application/x-www-form-urlencoded') ?? false;
  const releaseForm = await holdRequests(page, '**/api/auth/login', isFormPost);
  const logins: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/auth/login') logins.push(request.headers()['content-type']?.split(';')[0] ?? '');
  });
  const login = new LoginPage(page);
  await login.goto();
  await login.username.fill(ADA.username);
  await login.password.fill(ADA.password);
  await login.submit.click({ noWaitAfter: true });
  await expect.poll(() => logins).toEqual(['application/x-www-form-urlencoded']);

  // Let the app hydrate (and replay the submit) while the form's POST is still held.
  releaseChunk();
  await chunkLoaded;
  await page.waitForTimeout(1_500);
  releaseForm();

  await expect(page).toHaveURL(/\/account$/);
  const account = new AccountPage(page);
  await expect(account.name).toHaveText(ADA.name);
  await account.countVisitAndExpect(1);
  expect(logins).toEqual(['application/x-www-form-urlencoded']);
});

test('what is typed while the page component is being hydrated is kept', async ({ page }) => {
  // The form takes the fields over one frame after the page component is created. Type into them in
  // exactly that frame: the moment Angular marks the component's host element as created.
  await page.addInitScript(
    ({ username, password }) => {
      const observer = new MutationObserver(() => {
        const field = (id: string) => document.getElementById(id) as HTMLInputElement | null;
        const [user, pass] = [field('username'), field('password')];
        if (!document.querySelector('ng-component[ng-version]') || !user || !pass) return;
        observer.disconnect();
        for (const [input, value] of [
          [user, username],
          [pass, password],
        ] as const) {
          input.value = value;
          input.dispatchEvent(new Event('input', { bubbles: true }));
        }
      });
      observer.observe(document, { attributes: true, subtree: true, attributeFilter: ['ng-version'] });
    },
    { username: ADA.username, password: ADA.password },
  );
  const login = new LoginPage(page);
  await login.goto();
  await expectTypedCredentialsToSignIn(page, login);
});

/** Once the app has hydrated, the fields still hold ADA's credentials and sending them signs her in. */
async function expectTypedCredentialsToSignIn(page: Page, login: LoginPage): Promise<void> {
  await page.waitForLoadState('networkidle');
  await expect(login.username).toHaveValue(ADA.username);
  await expect(login.password).toHaveValue(ADA.password);
  await login.submit.click();

  await expect(page).toHaveURL(/\/account$/);
  await expect(new AccountPage(page).name).toHaveText(ADA.name);
}
