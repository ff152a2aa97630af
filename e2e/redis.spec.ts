import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort, startRedis } from '../tools/redis-server.mjs';
import { AccountPage } from './pages/account.po';
import { LoginPage } from './pages/login.po';
import { startDemoServer, type DemoServer } from './support/demo-server';
import { E2E_SESSION_SECRET } from './support/env';
import { ADA } from './support/session';

test.describe('two servers sharing one Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  let servers: DemoServer[] = [];
  let dataDir: string | undefined;

  test.beforeAll(async () => {
    redis = await startRedis();
    dataDir = mkdtempSync(join(tmpdir(), 'session-demo-redis-e2e-'));
    const env = { REDIS_URL: redis.url, SESSION_SECRET: E2E_SESSION_SECRET, SESSION_DATA_DIR: dataDir };
    // One at a time, so that afterAll stops every server that did start even if the next one fails.
    for (let i = 0; i < 2; i++) servers.push(await startDemoServer(await freePort(), env));
  });

  test.afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('a session started on one server is valid on the other', async ({ page }) => {
    const [first, second] = servers;
    // Cookies are scoped by host, not port: both servers see the one cookie the browser holds.
    await page.goto(`${first.url}/login`);
    await new LoginPage(page).logInAs(ADA.username, ADA.password);
    const account = new AccountPage(page);
    await expect(page).toHaveURL(`${first.url}/account`);
    await account.countVisitAndExpect(1);

    await account.goto(second.url);
    await expect(page).toHaveURL(`${second.url}/account`);
    await expect(account.name).toHaveText(ADA.name);
    await expect(account.visits).toHaveText('1');
    await account.countVisitAndExpect(2);

    await account.goto(first.url);
    await expect(account.visits).toHaveText('2');

    await account.logOut.click();
    await expect(page).toHaveURL(`${first.url}/login`);
    const summary = await page.request.get(`${second.url}/api/session`);
    expect(await summary.json()).toEqual({ authenticated: false });
  });
});
