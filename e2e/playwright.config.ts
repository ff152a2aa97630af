import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, E2E_SESSION_SECRET, assertBuilt, repoRoot, runDataDir } from './support/env';

// The suite runs against the BUILT production server (`npm run build` first), like a user of `npm start`.
assertBuilt();

const port = Number(process.env['E2E_PORT'] ?? 4310);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env['CI']),
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: process.env['CI'] ? [['list']] : [['list'], ['html', { open: 'never', outputFolder: '../playwright-report' }]],
  outputDir: '../test-results',
  globalTeardown: './support/global-teardown.ts',
  use: {
    baseURL,
    browserName: 'chromium',
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'node dist/demo/server/index.mjs',
    cwd: repoRoot,
    url: `${baseURL}/api/session`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      SESSION_SECRET: E2E_SESSION_SECRET,
      SESSION_DATA_DIR: runDataDir(),
      REDIS_URL: '',
    },
  },
});
