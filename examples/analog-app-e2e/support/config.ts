import { execFileSync } from 'node:child_process';
import { type PlaywrightTestConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../../e2e/support/env';

// What the Playwright configs of the example apps share: examples/analog-app (playwright.config.ts) and its
// Angular 22 twin examples/analog-app-angular-22 (playwright.angular-22.config.ts) run the same specs.

/** A free port, kept in the environment so the workers (which load the config again) use the same one. */
export function portFromEnv(name: string): number {
  process.env[name] ??= execFileSync(process.execPath, [
    '-e',
    "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });",
  ])
    .toString()
    .trim();
  return Number(process.env[name]);
}

/** The app's built server (`built`) or Vite dev server (`dev`) on a throw-away Redis: support/serve.mjs. */
export function webServer(mode: 'built' | 'dev', url: string, app = 'analog-app') {
  return {
    // The dev server compiles the middleware and the summary route on the first request: minutes on a busy 2-core box.
    command: `node support/serve.mjs ${mode} ${app}`,
    cwd: '.',
    url: `${url}/api/session`,
    reuseExistingServer: false,
    timeout: mode === 'dev' ? 180_000 : 60_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 },
    env: { PORT: new URL(url).port },
  };
}

/** Everything but the projects and servers. */
export const SHARED_CONFIG = {
  testDir: '.',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env['CI']),
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
} satisfies PlaywrightTestConfig;
