import { expect, test } from '@playwright/test';
import { AccountPage } from './pages/account.po';
import { LoginPage } from './pages/login.po';
import { ADA } from './support/users';

// The same app under the Vite dev server (`vite`), where middleware and server files are compiled on demand.
test('under the dev server, a signed-in user sees the guarded page rendered with their name', async ({ page, browser, context }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.logInAs(ADA.username, ADA.password);
  const account = new AccountPage(page);
  await expect(account.heading).toBeVisible();
  await expect(account.content).toContainText(`You are ${ADA.name}`);

  const noJs = await browser.newContext({ javaScriptEnabled: false, storageState: await context.storageState() });
  const serverPage = await noJs.newPage();
  await serverPage.goto('/account');
  await expect(new AccountPage(serverPage).content).toContainText(`You are ${ADA.name}`);
  await noJs.close();
});
