import { expect, test } from '@playwright/test';
import { AccountPage } from './pages/account.po';
import { HomePage } from './pages/home.po';
import { LoginPage } from './pages/login.po';
import { ADA, logInWithApi } from './support/session';

test('logging out in one tab updates the other tab without a reload', async ({ context }) => {
  await logInWithApi(context.request, ADA);
  const first = await context.newPage();
  const second = await context.newPage();
  const firstAccount = new AccountPage(first);
  const secondAccount = new AccountPage(second);
  await firstAccount.goto();
  await secondAccount.goto();
  await expect(firstAccount.name).toHaveText(ADA.name);
  await expect(secondAccount.name).toHaveText(ADA.name);
  await expect(secondAccount.countVisit).toBeEnabled();
  // A marker on the window survives only if the second tab is never reloaded.
  await second.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  const secondNavigations: string[] = [];
  second.on('framenavigated', (frame) => {
    if (frame === second.mainFrame()) secondNavigations.push(frame.url());
  });

  await firstAccount.logOut.click();
  await expect(first).toHaveURL(/\/login$/);

  await expect(secondAccount.sessionStatus).toContainText('Not signed in');
  // /login from the page's own effect, or with the return URL when the server's event stream told this tab first.
  await expect(second).toHaveURL(/\/login(\?returnUrl=%2Faccount)?$/);
  await expect(new LoginPage(second).heading).toBeVisible();
  await expect(second.getByText(ADA.name)).toHaveCount(0);
  expect(await second.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
});

test('logging in in one tab updates the home page of the other', async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  const home = new HomePage(second);
  await home.goto();
  await expect(home.sessionStatus).toContainText('Not signed in');
  await expect(home.yourSession).toContainText('anonymously');

  const login = new LoginPage(first);
  await login.goto();
  await login.logInAs(ADA.username, ADA.password);
  await expect(first).toHaveURL(/\/account$/);

  await expect(home.sessionStatus).toContainText(`Signed in as ${ADA.name}`);
  await expect(home.yourSession).toContainText(`signed in as ${ADA.name}`);
});
