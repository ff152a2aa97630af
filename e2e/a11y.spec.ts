import { expect, test } from '@playwright/test';
import { AccountPage } from './pages/account.po';
import { HomePage } from './pages/home.po';
import { LoginPage } from './pages/login.po';
import { violations } from './support/axe';
import { ADA, logInWithApi } from './support/session';

test.describe('accessibility (axe)', () => {
  test('home, anonymous', async ({ page }) => {
    const home = new HomePage(page);
    await home.goto();
    await expect(home.sessionStatus).toContainText('Not signed in');
    expect(await violations(page)).toEqual([]);
  });

  test('page not found', async ({ page }) => {
    await page.goto('/no-such-page');
    await expect(page.getByRole('heading', { name: 'Page not found', level: 1 })).toBeVisible();
    expect(await violations(page)).toEqual([]);
  });

  test('login, including the error state', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await expect(login.heading).toBeVisible();
    expect(await violations(page)).toEqual([]);

    await login.submit.click();
    await expect(page.getByText('Enter your username.')).toBeVisible();
    expect(await violations(page)).toEqual([]);

    await login.logInAs(ADA.username, 'wrong');
    await expect(login.alert).toBeVisible();
    expect(await violations(page)).toEqual([]);
  });

  test('home and account, signed in', async ({ page, context }) => {
    await logInWithApi(context.request, ADA);
    const home = new HomePage(page);
    await home.goto();
    await expect(home.sessionStatus).toContainText(`Signed in as ${ADA.name}`);
    expect(await violations(page)).toEqual([]);

    const account = new AccountPage(page);
    await account.goto();
    await account.countVisitAndExpect(1);
    expect(await violations(page)).toEqual([]);
  });

  test('account with another device signed in, and after signing it out', async ({ page, context, browser }) => {
    const otherDevice = await browser.newContext();
    try {
      await logInWithApi(otherDevice.request, ADA);
      await logInWithApi(context.request, ADA);
      const account = new AccountPage(page);
      await account.goto();
      await expect(account.signOutEverywhereElse).toBeVisible();
      await expect(account.sessionItems.getByRole('button', { name: 'Sign out', exact: true }).first()).toBeVisible();
      expect(await violations(page)).toEqual([]);

      await account.signOutEverywhereElse.click();
      await expect(account.sessionsNotice).toContainText('other session');
      await expect(account.sessionItems).toHaveCount(1);
      expect(await violations(page)).toEqual([]);
    } finally {
      await otherDevice.close();
    }
  });
});
