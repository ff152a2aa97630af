import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { AccountPage } from './pages/account.po';
import { HomePage } from './pages/home.po';
import { LoginPage } from './pages/login.po';
import { ProfilePage } from './pages/profile.po';
import { ADA, SESSION_COOKIE } from './support/users';

// The example app as a user ships it: packed packages, `vite build` with Analog's defaults (so `/` is
// prerendered), the built Nitro server on Redis.

async function logIn(page: Page): Promise<void> {
  const login = new LoginPage(page);
  await login.goto();
  await login.logInAs(ADA.username, ADA.password);
  await expect(new AccountPage(page).heading).toBeVisible();
}

/** A second context with JavaScript off (and the first one's cookies, if given): what the server alone rendered. */
async function serverOnly(browser: Browser, signedIn?: BrowserContext): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await signedIn?.storageState() });
  return context.newPage();
}

test('an anonymous visitor sees the home page with a "Log in" link', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  await expect(home.heading).toBeVisible();
  await expect(home.sessionStatus).toHaveText('Not signed in');
  await expect(home.logInLink).toBeVisible();
});

test('the prerendered home page was rendered without a session error', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const home = new HomePage(await context.newPage());
  await home.goto();
  await expect(home.heading).toBeVisible();
  await expect(home.sessionStatus).not.toHaveText('Session unavailable');
  await context.close();
});

test('logging in through the form shows the user and sets an HttpOnly session cookie', async ({ page, context }) => {
  await logIn(page);
  const account = new AccountPage(page);
  await expect(page).toHaveURL(/\/account$/);
  await expect(account.content).toContainText(`You are ${ADA.name}`);
  await expect(account.sessionStatus).toHaveText(`Signed in as ${ADA.name}`);
  const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
  expect(cookie?.httpOnly).toBe(true);
});

test('a wrong password is refused and the visitor stays anonymous', async ({ page, context }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.logInAs(ADA.username, 'not-the-password');
  await expect(login.alert).toHaveText('Wrong username or password.');
  await expect(login.sessionStatus).toHaveText('Not signed in');
  expect((await context.cookies()).find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
});

test('a login sent before the app runs posts the form: the password never appears in a URL', async ({ browser }) => {
  // JavaScript off: what a click before hydration does. A form without method="post" would send
  // GET /login?username=...&password=..., into the address bar, the history and the server's access log.
  const page = await serverOnly(browser);
  try {
    const login = new LoginPage(page);
    await login.goto();
    const requests: { method: string; url: string }[] = [];
    page.on('request', (request) => requests.push({ method: request.method(), url: request.url() }));
    const posted = page.waitForRequest((request) => request.isNavigationRequest());
    await login.logInAs(ADA.username, ADA.password);
    expect((await posted).method()).toBe('POST');
    await page.waitForLoadState();
    expect(page.url()).not.toContain(ADA.password);
    expect(requests.filter(({ url }) => url.includes(ADA.password))).toEqual([]);
  } finally {
    await page.context().close();
  }
});

test('the guarded page is rendered on the server with the user, and marked private, no-store', async ({ page, context, browser }) => {
  await logIn(page);
  const noJs = await serverOnly(browser, context);
  const response = await noJs.goto('/account');
  expect(response?.status()).toBe(200);
  expect(response?.headers()['cache-control']).toBe('private, no-store');
  const account = new AccountPage(noJs);
  await expect(account.heading).toBeVisible();
  await expect(account.content).toContainText(`You are ${ADA.name}`);
  await expect(account.sessionStatus).toHaveText(`Signed in as ${ADA.name}`);
  await noJs.context().close();
});

test('reloading the prerendered home page while signed in shows the user once hydrated', async ({ page }) => {
  await logIn(page);
  const home = new HomePage(page);
  await home.goto();
  await expect(home.heading).toBeVisible();
  await expect(home.sessionStatus).toHaveText(`Signed in as ${ADA.name}`);
  await page.reload();
  await expect(home.sessionStatus).toHaveText(`Signed in as ${ADA.name}`);
  await expect(home.logInLink).toBeHidden();
});

test('a page server load reads the session: in the server HTML and after a full load', async ({ page, context, browser }) => {
  await logIn(page);
  const noJs = await serverOnly(browser, context);
  const response = await noJs.goto('/profile');
  expect(response?.headers()['cache-control']).toBe('private, no-store');
  await expect(new ProfilePage(noJs).content).toContainText(`Loaded on the server for ${ADA.name}.`);
  await noJs.context().close();

  const profile = new ProfilePage(page);
  await profile.goto();
  await expect(profile.heading).toBeVisible();
  await expect(profile.content).toContainText(`Loaded on the server for ${ADA.name}.`);
  await expect(profile.sessionStatus).toHaveText(`Signed in as ${ADA.name}`);
});

test('responses that carry the session are private, no-store', async ({ page }) => {
  await logIn(page);
  const summary = await page.request.get('/api/session');
  expect(await summary.json()).toMatchObject({ authenticated: true, user: { name: ADA.name } });
  expect(summary.headers()['cache-control']).toContain('no-store');
  for (const path of ['/account', '/profile', '/login']) {
    const response = await page.request.get(path);
    expect(response.headers()['cache-control'], path).toBe('private, no-store');
  }
});

test('logging out ends the session: the header says so and /account sends to /login again', async ({ page, context }) => {
  await logIn(page);
  const account = new AccountPage(page);
  await account.logOut.click();
  await expect(account.sessionStatus).toHaveText('Not signed in');
  expect((await context.cookies()).find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
  await account.goto();
  await expect(page).toHaveURL(/\/login$/);
  await expect(new LoginPage(page).heading).toBeVisible();
});

test('the guard sends an anonymous visitor from /account to /login', async ({ page }) => {
  await new AccountPage(page).goto();
  await expect(page).toHaveURL(/\/login$/);
  const login = new LoginPage(page);
  await expect(login.heading).toBeVisible();
  await expect(login.sessionStatus).toHaveText('Not signed in');
});
