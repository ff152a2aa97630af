import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../tools/redis-server.mjs';
import { LoginPage } from './pages/login.po';
import { startDemoServer, type DemoServer } from './support/demo-server';
import { E2E_SESSION_SECRET } from './support/env';
import { GRACE } from './support/session';

// A server of its own: the limits it reaches here would otherwise lock the other specs out.
test.describe('login limits on the built server', () => {
  let server: DemoServer | undefined;
  let dataDir: string | undefined;

  test.beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'session-demo-limits-e2e-'));
    const env = { SESSION_SECRET: E2E_SESSION_SECRET, SESSION_DATA_DIR: dataDir, REDIS_URL: '' };
    server = await startDemoServer(await freePort(), env);
  });

  test.afterAll(async () => {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('a huge body gets 413, a locked username 429 with Retry-After, shown on the login page', async ({ playwright, browser }) => {
    const url = server!.url;
    const api = await playwright.request.newContext({ baseURL: url, extraHTTPHeaders: { Origin: url } });
    const huge = await api.post('/api/auth/login', { data: { username: 'grace', password: 'x'.repeat(100_000) } });
    expect(huge.status()).toBe(413);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect((await api.post('/api/auth/login', { data: { username: 'grace', password: 'wrong' } })).status()).toBe(401);
    }
    const locked = await api.post('/api/auth/login', { data: { username: GRACE.username, password: GRACE.password } });
    expect(locked.status()).toBe(429);
    expect(Number(locked.headers()['retry-after'])).toBeGreaterThan(0);
    expect(locked.headers()['cache-control']).toBe('private, no-store');
    await api.dispose();

    const withJs = await browser.newContext();
    const page = await withJs.newPage();
    await page.goto(`${url}/login`);
    const login = new LoginPage(page);
    await login.logInAs(GRACE.username, GRACE.password);
    await expect(login.alert).toHaveText(/Too many login attempts\. Try again in \d+ seconds?\./);
    await withJs.close();

    const withoutJs = await browser.newContext({ javaScriptEnabled: false });
    const plain = await withoutJs.newPage();
    await plain.goto(`${url}/login`);
    await new LoginPage(plain).logInAs(GRACE.username, GRACE.password);
    await expect(plain).toHaveURL(`${url}/login?error=limited`);
    await expect(new LoginPage(plain).alert).toHaveText('Too many login attempts. Wait a few minutes and try again.');
    await withoutJs.close();
  });
});
