import { expect, test, type Browser, type BrowserContext, type Cookie, type Page } from '@playwright/test';
import { AccountPage } from './pages/account.po';
import { LoginPage } from './pages/login.po';
import { ADA, GRACE, demoOrigin, logInWithApi, sameOrigin, sessionCookie } from './support/session';

// Device B claims to be Firefox, so that the two devices have different labels (both are Debian's Chromium).
const FIREFOX_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

async function logInWithForm(page: Page, user: { username: string; password: string }): Promise<void> {
  const login = new LoginPage(page);
  await login.goto();
  await login.logInAs(user.username, user.password);
  await expect(page).toHaveURL(/\/account$/);
}

/** The session ID inside a `s:<id>.<signature>` cookie. */
function sessionIdOf(cookie: Cookie): string {
  return decodeURIComponent(cookie.value).slice(2).split('.')[0];
}

/** Whether a cookie, replayed from a fresh browser, still authenticates `GET /api/account`. */
async function stillAuthenticates(browser: Browser, cookie: Cookie): Promise<boolean> {
  const replay = await browser.newContext();
  try {
    await replay.addCookies([cookie]);
    const status = (await replay.request.get('/api/account')).status();
    expect([200, 401]).toContain(status);
    return status === 200;
  } finally {
    await replay.close();
  }
}

/**
 * Ends every session of `user` left by earlier specs (they share the run's store), so that counts start from zero:
 * signs in once more, ends the others, then logs that one out.
 */
async function endAllSessionsOf(browser: Browser, user: { username: string; password: string }): Promise<void> {
  const cleaner = await browser.newContext();
  try {
    await logInWithApi(cleaner.request, user);
    const headers = await sameOrigin(cleaner.request);
    expect((await cleaner.request.post('/api/sessions/revoke-others', { headers })).status()).toBe(200);
    expect((await cleaner.request.post('/api/auth/logout', { headers })).status()).toBe(200);
  } finally {
    await cleaner.close();
  }
}

test.describe('your sessions', () => {
  let deviceA: BrowserContext;
  let deviceB: BrowserContext;

  test.beforeEach(async ({ browser }) => {
    await endAllSessionsOf(browser, ADA);
    await endAllSessionsOf(browser, GRACE);
    deviceA = await browser.newContext();
    deviceB = await browser.newContext({ userAgent: FIREFOX_ON_LINUX });
  });

  test.afterEach(async () => {
    await deviceA.close();
    await deviceB.close();
  });

  test('device A lists both devices, signs out B, then everywhere else', async ({ browser }) => {
    const pageA = await deviceA.newPage();
    const pageB = await deviceB.newPage();
    await logInWithForm(pageB, ADA);
    await logInWithForm(pageA, ADA);
    const accountA = new AccountPage(pageA);

    await expect(accountA.sessionItems).toHaveCount(2);
    await expect(accountA.currentSession).toHaveCount(1);
    await expect(accountA.sessionItems.first()).toContainText('This device');
    await expect(accountA.currentSession).toContainText('Chrome on Linux');
    await expect(accountA.sessionItem('Firefox on Linux')).toContainText(/Signed in .+, last seen /);
    await expect(accountA.currentSession.getByRole('button')).toHaveCount(0);
    // Session IDs never reach the page, not even in the markup.
    const [cookieA, cookieB] = [(await sessionCookie(deviceA))!, (await sessionCookie(deviceB))!];
    const html = await pageA.content();
    expect(html).not.toContain(sessionIdOf(cookieA));
    expect(html).not.toContain(sessionIdOf(cookieB));

    await accountA.signOutButton('Firefox on Linux').click();
    await expect(accountA.sessionsNotice).toHaveText('Signed out Firefox on Linux.');
    await expect(accountA.sessionItems).toHaveCount(1);
    await expect(accountA.signOutEverywhereElse).toHaveCount(0);
    await expect(accountA.yourSessions.getByRole('heading', { name: 'Your sessions' })).toBeFocused();

    await pageB.goto('/account');
    await expect(pageB).toHaveURL(/\/login$/);
    expect(await stillAuthenticates(browser, cookieB)).toBe(false);
    expect(await stillAuthenticates(browser, cookieA)).toBe(true);

    await logInWithForm(pageB, ADA);
    const cookieB2 = (await sessionCookie(deviceB))!;
    await pageA.reload();
    await expect(accountA.sessionItems).toHaveCount(2);
    await accountA.signOutEverywhereElse.click();
    await expect(accountA.sessionsNotice).toHaveText('Signed out 1 other session.');
    await expect(accountA.sessionItems).toHaveCount(1);

    await pageB.goto('/account');
    await expect(pageB).toHaveURL(/\/login$/);
    expect(await stillAuthenticates(browser, cookieB2)).toBe(false);
    await pageA.reload();
    await expect(accountA.name).toHaveText(ADA.name);
    await expect(accountA.sessionItems).toHaveCount(1);
    await expect(accountA.currentSession).toContainText('Chrome on Linux');
  });

  test("one user cannot sign out another user's session by its handle", async () => {
    await logInWithApi(deviceA.request, GRACE);
    await logInWithApi(deviceB.request, ADA);
    const graceSessions = await (await deviceA.request.get('/api/sessions')).json();
    expect(graceSessions).toHaveLength(1);
    const [grace] = graceSessions as { handle: string; current: boolean }[];
    expect(Object.keys(grace).sort()).toEqual(['createdAt', 'current', 'handle', 'label', 'lastSeenAt']);
    expect(grace.current).toBe(true);

    const stolen = await deviceB.request.post('/api/sessions/revoke', {
      data: { handle: grace.handle },
      headers: await sameOrigin(deviceB.request),
    });
    expect(stolen.status()).toBe(404);
    expect((await deviceA.request.get('/api/account')).status()).toBe(200);
    expect(await (await deviceA.request.get('/api/sessions')).json()).toEqual(graceSessions);
    // Ada's own list knows nothing of Grace's session.
    const adaSessions = (await (await deviceB.request.get('/api/sessions')).json()) as { handle: string }[];
    expect(adaSessions.map((session) => session.handle)).not.toContain(grace.handle);
  });

  test('the session routes need a signed-in user, a same-origin POST and a well-formed handle', async ({ request }) => {
    expect((await request.get('/api/sessions')).status()).toBe(401);
    expect((await request.post('/api/sessions/revoke', { data: { handle: 'x' }, headers: { Origin: demoOrigin() } })).status()).toBe(401);
    expect((await request.post('/api/sessions/revoke-others', { headers: { Origin: demoOrigin() } })).status()).toBe(401);

    await logInWithApi(deviceA.request, ADA);
    const crossSite = await deviceA.request.post('/api/sessions/revoke-others', { headers: { Origin: 'http://evil.example' } });
    expect(crossSite.status()).toBe(403);
    for (const data of [{}, { handle: 42 }, { handle: '' }, { handle: 'a'.repeat(129) }]) {
      const response = await deviceA.request.post('/api/sessions/revoke', { data, headers: await sameOrigin(deviceA.request) });
      expect(response.status(), JSON.stringify(data)).toBe(400);
    }
    const unknown = await deviceA.request.post('/api/sessions/revoke', {
      data: { handle: '0'.repeat(32) },
      headers: await sameOrigin(deviceA.request),
    });
    expect(unknown.status()).toBe(404);
    const list = await deviceA.request.get('/api/sessions');
    expect(list.headers()['cache-control']).toBe('private, no-store');
    expect(await list.json()).toHaveLength(1);
  });
});
