import { expect, test } from '@playwright/test';
import { AccountPage } from './pages/account.po';
import { HomePage } from './pages/home.po';
import { LoginPage } from './pages/login.po';
import { ADA, logInWithApi } from './support/session';

test.describe('server-side rendering', () => {
  test('without JavaScript, the server renders a signed-in /account with the name', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      await logInWithApi(context.request, ADA);
      const page = await context.newPage();
      const response = await page.goto('/account');

      expect(response?.status()).toBe(200);
      expect(response?.headers()['cache-control']).toContain('no-store');
      const account = new AccountPage(page);
      await expect(account.heading).toBeVisible();
      await expect(account.name).toHaveText(ADA.name);
      await expect(account.sessionStatus).toContainText(`Signed in as ${ADA.name}`);
      await expect(account.currentSession).toHaveCount(1);
    } finally {
      await context.close();
    }
  });

  test('without JavaScript, the login form still signs in (it posts to the API, which redirects)', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const login = new LoginPage(page);
      await login.goto();
      await login.logInAs(ADA.username, 'wrong-password');
      await expect(page).toHaveURL(/\/login\?error=1$/);
      await expect(login.alert).toHaveText('That username and password do not match a demo account.');

      await login.logInAs(ADA.username, ADA.password);
      await expect(page).toHaveURL(/\/account$/);
      await expect(new AccountPage(page).name).toHaveText(ADA.name);
    } finally {
      await context.close();
    }
  });

  test('hydration reuses the server-rendered summary and account data: no second /api/session, /api/account or /api/sessions', async ({
    page,
    context,
  }) => {
    // The session's event stream stays open, so the network would never be idle: answered 404 here, the client
    // turns the stream off (as against a server without the route) and only the hydration requests remain.
    await page.route('**/api/auth/session-events', (route) => route.fulfill({ status: 404, json: { statusCode: 404 } }));
    const summaryRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/session') summaryRequests.push(request.url());
    });
    const accountRequests: string[] = [];
    page.on('request', (request) => {
      if (['/api/account', '/api/sessions'].includes(new URL(request.url()).pathname)) accountRequests.push(request.url());
    });

    // Anonymous home page.
    const home = new HomePage(page);
    await home.goto();
    await expect(home.sessionStatus).toContainText('Not signed in');
    await page.waitForLoadState('networkidle');
    expect(summaryRequests).toEqual([]);

    // Signed-in account page, with private data loaded during SSR as well.
    await logInWithApi(context.request, ADA);
    const account = new AccountPage(page);
    await account.goto();
    await expect(account.name).toHaveText(ADA.name);
    await expect(account.currentSession).toHaveCount(1);
    // A click that the live (hydrated) app answers proves hydration finished.
    await account.countVisitAndExpect(1);
    await page.waitForLoadState('networkidle');

    expect(summaryRequests).toEqual([]);
    expect(accountRequests).toEqual([]);
  });
});
