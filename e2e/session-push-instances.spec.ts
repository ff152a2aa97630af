import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type APIResponse, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { freePort, startRedis } from '../tools/redis-server.mjs';
import { AccountPage } from './pages/account.po';
import { LoginPage } from './pages/login.po';
import { startDemoServer, type DemoServer } from './support/demo-server';
import { E2E_SESSION_SECRET } from './support/env';
import { ADA, GRACE } from './support/session';

// Two demo instances on one Redis (its pub/sub carries the session-ended notices between them), plus one with the
// 'deny-new' policy on another database of that Redis, so the accounts' sessions of the other tests do not count there.
// The banners' texts are apps/demo/src/app/session-banners.ts's; the login page's is pages/login.page.ts's.
const SIGNED_OUT_ELSEWHERE = 'You were signed out from another tab or device.';
const EVICTED = 'You were signed out because your account signed in on more devices than allowed.';
const TOO_MANY_SESSIONS = 'You are already signed in on as many devices as allowed. Sign out on one of them, then log in here again.';
/** SESSION_MAX_PER_USER of every instance here. */
const MAX_SESSIONS = 2;
/** Rounds of "Sign out everywhere else" across the instances whose push latency is measured. */
const ROUNDS = 5;

type User = { username: string; password: string; name: string };

/** Logs the context in on `server` through the API (the context's cookie jar, as a device of its own). */
async function logInOn(context: BrowserContext, server: DemoServer, user: User): Promise<APIResponse> {
  return context.request.post(`${server.url}/api/auth/login`, {
    data: { username: user.username, password: user.password },
    headers: { Origin: server.url },
  });
}

async function signedIn(context: BrowserContext, server: DemoServer): Promise<boolean> {
  const response = await context.request.get(`${server.url}/api/session`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { authenticated: boolean }).authenticated;
}

/** A device signed in as `user` on `server`, showing /account, once its tab listens to the session's event stream. */
async function openAccount(context: BrowserContext, server: DemoServer, user: User, page?: Page): Promise<AccountPage> {
  page ??= await context.newPage();
  const account = new AccountPage(page);
  // The handler answers only once this instance listens on Redis (defineSessionEventsHandler awaits the subscription).
  const stream = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/auth/session-events');
  await account.goto(server.url);
  await expect(account.name).toHaveText(user.name);
  expect((await stream).status()).toBe(200);
  return account;
}

/** Notes in the page the wall-clock time (ms) at which a "You were signed out" alert first appears. */
async function watchForEndedBanner(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { endedBannerAt?: number };
    w.endedBannerAt = undefined;
    const check = () => {
      if (w.endedBannerAt !== undefined) return;
      const alerts = Array.from(document.querySelectorAll('[role="alert"]'));
      if (alerts.some((alert) => alert.textContent?.includes('You were signed out'))) {
        w.endedBannerAt = Date.now();
        observer.disconnect();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    check();
  });
}

async function endedBannerAt(page: Page): Promise<number> {
  const at = await page.evaluate(() => (window as unknown as { endedBannerAt?: number }).endedBannerAt);
  expect(at).toBeDefined();
  return at!;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function newDevices(browser: Browser, count: number): Promise<BrowserContext[]> {
  return Promise.all(Array.from({ length: count }, () => browser.newContext()));
}

test.describe('session ends pushed across two demo instances on one Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  let dataDir: string | undefined;
  /** Two instances on Redis database 0, 'evict-oldest' beyond MAX_SESSIONS. */
  let first: DemoServer;
  let second: DemoServer;
  /** One instance on Redis database 1, 'deny-new' beyond MAX_SESSIONS. */
  let denyNew: DemoServer;
  const servers: DemoServer[] = [];

  test.beforeAll(async () => {
    redis = await startRedis();
    dataDir = mkdtempSync(join(tmpdir(), 'session-demo-push-e2e-'));
    const env = { SESSION_SECRET: E2E_SESSION_SECRET, SESSION_DATA_DIR: dataDir, SESSION_MAX_PER_USER: String(MAX_SESSIONS) };
    const evictOldest = { ...env, REDIS_URL: redis.url, SESSION_LIMIT_POLICY: 'evict-oldest' };
    // One at a time, so that afterAll stops every server that did start even if the next one fails.
    servers.push((first = await startDemoServer(await freePort(), evictOldest)));
    servers.push((second = await startDemoServer(await freePort(), evictOldest)));
    servers.push(
      (denyNew = await startDemoServer(await freePort(), { ...env, REDIS_URL: `${redis.url}/1`, SESSION_LIMIT_POLICY: 'deny-new' })),
    );
  });

  test.afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('"Sign out everywhere else" on instance 1 shows the reason on a device of instance 2 within 2 s, without any action there', async ({
    browser,
  }) => {
    const [deviceA, deviceB] = await newDevices(browser, 2);
    try {
      // B first, so that A's list of sessions (read when its page loads) has B in it.
      expect((await logInOn(deviceB, second, GRACE)).status()).toBe(200);
      const b = await openAccount(deviceB, second, GRACE);
      expect((await logInOn(deviceA, first, GRACE)).status()).toBe(200);
      const a = await openAccount(deviceA, first, GRACE);

      const latencies: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        if (round > 1) {
          // B signs in again (on instance 2), and A's page lists it.
          expect((await logInOn(deviceB, second, GRACE)).status()).toBe(200);
          await openAccount(deviceB, second, GRACE, b.page);
          await openAccount(deviceA, first, GRACE, a.page);
        }
        await expect(a.sessionItems).toHaveCount(2);
        await watchForEndedBanner(b.page);
        const revoked = a.page.waitForResponse((response) => new URL(response.url()).pathname === '/api/sessions/revoke-others');
        const clickedAt = Date.now();
        await a.signOutEverywhereElse.click();
        // Its status only: reading the body of a page's response through the protocol failed once here ("No data found").
        expect((await revoked).status()).toBe(200);
        await expect(a.sessionsNotice).toContainText('Signed out');

        await expect(b.endedBanner).toContainText(SIGNED_OUT_ELSEWHERE, { timeout: 2_000 });
        latencies.push((await endedBannerAt(b.page)) - clickedAt);
        await expect(b.sessionStatus).toContainText('Not signed in');
        await expect(b.page).toHaveURL(`${second.url}/login?returnUrl=%2Faccount`);
        expect(await signedIn(deviceB, second)).toBe(false);
        expect(await signedIn(deviceA, second)).toBe(true);
        await expect(a.name).toHaveText(GRACE.name);
      }

      const sorted = [...latencies].sort((x, y) => x - y);
      const figures =
        `push latency across instances, click on instance 1 -> banner on instance 2, ${ROUNDS} rounds (ms): ` +
        `${latencies.join(', ')}; p50 ${percentile(sorted, 50)}, p95 ${percentile(sorted, 95)}, max ${sorted.at(-1)}`;
      console.log(`[session-push-instances] ${figures}`);
      test.info().annotations.push({ type: 'push-latency', description: figures });
    } finally {
      await deviceA.close();
      await deviceB.close();
    }
  });

  test(`a login beyond ${MAX_SESSIONS} sessions evicts the oldest, whose open tab on the other instance is told "evicted"`, async ({
    browser,
  }) => {
    const [oldest, middle, newest] = await newDevices(browser, 3);
    try {
      expect((await logInOn(oldest, second, ADA)).status()).toBe(200);
      const account = await openAccount(oldest, second, ADA);
      await watchForEndedBanner(account.page);
      expect((await logInOn(middle, first, ADA)).status()).toBe(200);
      // At the limit: nothing ended yet.
      expect(await signedIn(oldest, second)).toBe(true);

      const loggedInAt = Date.now();
      expect((await logInOn(newest, first, ADA)).status()).toBe(200);
      await expect(account.endedBanner).toContainText(EVICTED, { timeout: 2_000 });
      const latency = (await endedBannerAt(account.page)) - loggedInAt;
      console.log(`[session-push-instances] eviction: login on instance 1 -> banner on instance 2: ${latency} ms`);
      await expect(account.sessionStatus).toContainText('Not signed in');
      expect(await signedIn(oldest, second)).toBe(false);
      expect(await signedIn(middle, second)).toBe(true);
      expect(await signedIn(newest, second)).toBe(true);
    } finally {
      await Promise.all([oldest.close(), middle.close(), newest.close()]);
    }
  });

  test(`with 'deny-new', a login beyond ${MAX_SESSIONS} sessions is refused; the login page says why (with or without script)`, async ({
    browser,
  }) => {
    const devices = await newDevices(browser, MAX_SESSIONS);
    const extra = await browser.newContext();
    const withoutScript = await browser.newContext({ javaScriptEnabled: false });
    try {
      for (const device of devices) expect((await logInOn(device, denyNew, ADA)).status()).toBe(200);

      // The API's answer: 409 with the code an app can act on.
      const refused = await logInOn(extra, denyNew, ADA);
      expect(refused.status()).toBe(409);
      expect(((await refused.json()) as { data?: unknown }).data).toEqual({ code: 'TOO_MANY_SESSIONS', maxSessionsPerUser: MAX_SESSIONS });

      // The login page, with JavaScript.
      const page = await extra.newPage();
      const login = new LoginPage(page);
      await page.goto(`${denyNew.url}/login`);
      const answered = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/auth/login');
      await login.logInAs(ADA.username, ADA.password);
      expect((await answered).status()).toBe(409);
      await expect(login.alert).toHaveText(TOO_MANY_SESSIONS);
      await expect(page).toHaveURL(`${denyNew.url}/login`);
      expect(await signedIn(extra, denyNew)).toBe(false);

      // Without JavaScript: the form's POST is redirected back to the page, which says the same.
      const plain = await withoutScript.newPage();
      const plainLogin = new LoginPage(plain);
      await plain.goto(`${denyNew.url}/login`);
      await plainLogin.logInAs(ADA.username, ADA.password);
      await expect(plain).toHaveURL(`${denyNew.url}/login?error=sessions`);
      await expect(plainLogin.alert).toHaveText(TOO_MANY_SESSIONS);
      expect(await signedIn(withoutScript, denyNew)).toBe(false);

      // Nothing of the signed-in devices changed.
      for (const device of devices) expect(await signedIn(device, denyNew)).toBe(true);
    } finally {
      await Promise.all([...devices, extra, withoutScript].map((context) => context.close()));
    }
  });

  test('a bad SESSION_LIMIT_POLICY or SESSION_MAX_PER_USER stops the server at start with a message naming it', async () => {
    await expect(
      startDemoServer(await freePort(), {
        SESSION_SECRET: E2E_SESSION_SECRET,
        SESSION_DATA_DIR: dataDir!,
        REDIS_URL: redis!.url,
        SESSION_LIMIT_POLICY: 'deny',
      }),
    ).rejects.toThrow(/SESSION_LIMIT_POLICY must be 'evict-oldest' or 'deny-new', not 'deny'/);
    await expect(
      startDemoServer(await freePort(), {
        SESSION_SECRET: E2E_SESSION_SECRET,
        SESSION_DATA_DIR: dataDir!,
        REDIS_URL: redis!.url,
        SESSION_MAX_PER_USER: '0',
      }),
    ).rejects.toThrow(/SESSION_MAX_PER_USER must be a whole number from 1 to 999999, not '0'/);
  });
});
